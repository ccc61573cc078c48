/** What the Talk page tells a person when a call does not happen or ends badly. */

/** getUserMedia's and the audio engine's failures. */
export function microphoneError(e: unknown): string {
  const name = e instanceof Error || e instanceof DOMException ? e.name : '';
  const message = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this site (the icon in the address bar), then call again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one, then call again.';
    case 'NotReadableError':
      return 'The microphone could not be started: another application may be using it.';
    case 'NotSupportedError':
      return `This browser cannot use the microphone here: ${message}`;
    case 'SipaiAudioError':
      return `The audio engine could not start: ${message}`;
    default:
      return `The microphone could not be started: ${message || name || 'unknown error'}`;
  }
}

export interface ServerError {
  code: string;
  message: string;
}

/** A call the server refused (its `error`) or whose socket closed without `ended`. */
export function callFailure(error: ServerError | null, code: number | null, reason: string, connected: boolean): string {
  const detail = (fallback: string) => error?.message || reason || fallback;
  if (error?.code === 'admission_rejected' || code === 4029) {
    return `The call was refused: concurrency limit reached (${detail('admission rejected')}).`;
  }
  if (error?.code === 'admission_unavailable' || code === 1013) {
    return `The call could not be admitted right now; try again later (${detail('no admission decision in time')}).`;
  }
  if (code === 4001 || code === 4003) {
    return `The call's link was refused (${reason || 'expired, already used or not for this call'}, code ${code}); call again.`;
  }
  if (error) return `The server reported an error: ${error.code}${error.message ? `: ${error.message}` : ''}.`;
  if (code === 1008) return `The server closed the call: protocol violation (${reason || 'no reason given'}).`;
  if (code === 1011) return `The server closed the call after an internal error${reason ? ` (${reason})` : ''}.`;
  const dropped = `The connection dropped (code ${code ?? 'unknown'}${reason ? `: ${reason}` : ''})`;
  return connected
    ? `${dropped}.`
    : `${dropped} before the call was connected: the realtime edge could not be reached or refused this page.`;
}

/** An RMS level (0..1) on a meter from -60 dBFS (0) to 0 dBFS (1). */
export function meterValue(rms: number): number {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  return Math.round(Math.min(1, Math.max(0, (db + 60) / 60)) * 100) / 100;
}

export function dbfs(rms: number): string {
  return rms > 0 ? `${Math.round(20 * Math.log10(rms))} dBFS` : 'silence';
}
