/**
 * @sipai/voice-client: talk to a sipai agent from a browser over the sipai realtime protocol v1
 * (docs/realtime-protocol.md): microphone -> PCM16 20 ms frames -> WebSocket -> agent audio -> speakers, with
 * marks acknowledged once the audio before them has actually played, and barge-in (`clear`).
 *
 * One client is one call:
 *
 *   const client = new SipaiVoiceClient({ onEvent: (e) => console.log(e) });
 *   await client.startMicrophone();                      // in a click handler: asks for the microphone
 *   await client.connect({ url, callId, agentId });      // url from POST /v1/realtime/sessions (your backend)
 *   ...
 *   await client.hangUp();                               // {"t":"stop"}, waits for `ended` and the close
 *   client.close();                                      // releases microphone, audio and socket (always safe)
 *
 * Audio runs in two AudioWorklet processors (capture-worklet.js, playback-worklet.js), loaded by URL: a page with
 * a Content-Security-Policy needs them served from an origin its `script-src` allows (its own).
 */
import type { CaptureCommand, CaptureReport, PlaybackCommand, PlaybackReport } from './messages.js';

export const PROTOCOL = 'sipai.v1';

/** The audio format of a call (the server's `connected.audio`). */
export interface AudioFormat {
  encoding: string;
  sampleRate: number;
  frameMs: number;
}

/** Everything the client reports, through `onEvent`. */
export type VoiceEvent =
  /** Admission granted: audio flows both ways from now on. */
  | { type: 'connected'; callId: string; audio: AudioFormat }
  /** What the recognizer heard (interim while `final` is false). */
  | { type: 'transcript'; text: string; final: boolean }
  /** What the agent says. */
  | { type: 'agent'; text: string }
  /** Barge-in: the queued agent audio was dropped and `marks` pending marks acknowledged. */
  | { type: 'clear'; marks: number }
  /** A server mark acknowledged: its audio has played (`cleared` false) or was dropped (`cleared` true). */
  | { type: 'mark'; name: string; cleared: boolean }
  /** The agent transferred the call to `target` (tel: or sip: URI); `ended` follows. */
  | { type: 'transfer'; target: string }
  /**
   * A server `error` (`admission_rejected`, `admission_unavailable`, `call_already_connected`) or a problem of the
   * client (`unsupported_audio`, `audio_unavailable`); the close follows.
   */
  | { type: 'error'; code: string; message: string }
  /** The call is over (the server's `ended`); the close follows. */
  | { type: 'ended'; callId: string; code: number; reason: string }
  /**
   * The socket closed (always the last call event). `ended`: an `ended` message came first (a close without it is a
   * dropped or refused connection); `connected`: the call had been connected.
   */
  | { type: 'closed'; code: number; reason: string; wasClean: boolean; ended: boolean; connected: boolean }
  /** RMS levels (0..1) of the audio sent (0 while muted) and of the agent audio played, every `levelsIntervalMs`. */
  | { type: 'levels'; input: number; output: number }
  /** Milliseconds of agent audio actually played so far (grows while audio plays). */
  | { type: 'played'; ms: number };

export type VoiceEventHandler = (event: VoiceEvent) => void;

export interface WorkletUrls {
  capture: string | URL;
  playback: string | URL;
}

export interface ClientOptions {
  onEvent?: VoiceEventHandler;
  /**
   * Where the two AudioWorklet modules are. Default: `capture-worklet.js` and `playback-worklet.js` next to this
   * module (`import.meta.url`), as in dist/. With a bundler, pass the URLs it gives them (Vite:
   * `import capture from '@sipai/voice-client/src/capture-worklet.ts?worker&url'`).
   */
  worklets?: WorkletUrls;
  /** The call's audio rate, asked for in `start` and used for the AudioContext: 16000. */
  sampleRate?: number;
  /** getUserMedia audio constraints (default: mono, echo cancellation, noise suppression, auto gain). */
  audio?: MediaTrackConstraints;
  /** How often `levels` is reported: 100 ms. */
  levelsIntervalMs?: number;
}

export interface ConnectOptions {
  /** The WebSocket URL (a session URL of POST /v1/realtime/sessions; ws:, wss:, or http(s): turned into ws(s):). */
  url: string;
  /** The call's id (the session's `callId`; omitted, the server's). */
  callId?: string;
  agentId?: string;
  /** Replaces the handler given to the constructor. */
  onEvent?: VoiceEventHandler;
  /** Sent in `start` as `metadata`. */
  metadata?: Record<string, string>;
  /** WebSocket subprotocols: ["sipai.v1"]. */
  protocols?: string[];
}

export type ClientState = 'idle' | 'connecting' | 'connected' | 'closing' | 'closed';

/** Why connect() did not get a call: the server's error code, the close code and reason. */
export class SipaiCallError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly closeCode: number | null,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'SipaiCallError';
  }
}

/** The audio could not start: no Web Audio or AudioWorklet, or the worklet modules did not load (`cause`). */
export class SipaiAudioError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SipaiAudioError';
  }
}

export interface ClientStats {
  /** Microphone frames sent (binary messages). */
  framesSent: number;
  bytesSent: number;
  /** Frames not sent because the socket's send buffer held over a second of audio. */
  framesDropped: number;
  /** Agent audio received (bytes of binary messages). */
  bytesReceived: number;
  marksAcknowledged: number;
  /** Milliseconds of agent audio received, and still queued for playback. */
  receivedMs: number;
  queuedMs: number;
}

const DEFAULT_AUDIO: MediaTrackConstraints = {
  channelCount: 1,
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};
const CAPTURE_FILE = 'capture-worklet.js';
const PLAYBACK_FILE = 'playback-worklet.js';
/** Over this much unsent data on the socket, microphone frames are dropped rather than queued (latency). */
const MAX_BUFFERED_BYTES = 32 * 1024;
const HANG_UP_TIMEOUT_MS = 5000;
/** After the server ends a call, its last words keep playing at most this long. */
const DRAIN_MAX_MS = 15000;

type Waiter = { resolve: (value: AudioFormat & { callId: string }) => void; reject: (error: Error) => void };

export class SipaiVoiceClient {
  private onEvent: VoiceEventHandler;
  private readonly options: ClientOptions;
  private _state: ClientState = 'idle';
  private rate: number;

  private ctx: AudioContext | null = null;
  private audioReady: Promise<void> | null = null;
  private audioClosed = false;
  private playback: AudioWorkletNode | null = null;
  private capture: AudioWorkletNode | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private stream: MediaStream | null = null;
  private ownStream = false;
  private micStarting: Promise<void> | null = null;
  private muted = false;
  private levelsTimer: ReturnType<typeof setInterval> | undefined;
  private inputLevel = 0;
  private outputLevel = 0;

  private ws: WebSocket | null = null;
  private connectWaiter: Waiter | null = null;
  private closeWaiters: (() => void)[] = [];
  private wasConnected = false;
  private endedSeen = false;
  private lastError: { code: string; message: string } | null = null;
  private hungUp = false;
  private disposed = false;
  private hangUpTimer: ReturnType<typeof setTimeout> | undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private draining = false;

  // Playback accounting, in agent samples: enqueued = handed to the playback processor (or dropped without one);
  // position = done with (played or cleared); played = actually played. Bases carry counts over a rebuilt graph.
  private enqueued = 0;
  private position = 0;
  private playedSamples = 0;
  private base = { played: 0, position: 0 };
  private pendingMarks: { name: string; at: number }[] = [];
  private carry: number | null = null;
  private readonly counters = { framesSent: 0, bytesSent: 0, framesDropped: 0, bytesReceived: 0, marksAcknowledged: 0 };

  private _callId: string | null = null;

  constructor(options: ClientOptions = {}) {
    this.options = options;
    this.onEvent = options.onEvent ?? (() => {});
    this.rate = options.sampleRate ?? 16000;
  }

  get state(): ClientState {
    return this._state;
  }

  /** The call's id once connected (or as given to connect()). */
  get callId(): string | null {
    return this._callId;
  }

  /** Milliseconds of agent audio actually played so far. */
  get played(): number {
    return Math.round((this.playedSamples * 1000) / this.rate);
  }

  get isMuted(): boolean {
    return this.muted;
  }

  get stats(): ClientStats {
    return {
      ...this.counters,
      receivedMs: Math.round((this.enqueued * 1000) / this.rate),
      queuedMs: Math.round((Math.max(0, this.enqueued - this.position) * 1000) / this.rate),
    };
  }

  /**
   * Opens the microphone (or uses `stream`) and starts capturing; its frames are sent once the call is connected.
   * Call it from a user gesture (a click): it also creates the AudioContext, which browsers only let play then.
   * Rejects with getUserMedia's error (`NotAllowedError`: denied, `NotFoundError`: no microphone, ...). A stream
   * passed in is not stopped by the client; one it opened is stopped at the end of the call.
   */
  startMicrophone(stream?: MediaStream): Promise<void> {
    if (this.isOver()) return Promise.reject(closedError());
    this.micStarting ??= this.openMicrophone(stream).finally(() => {
      this.micStarting = null;
    });
    return this.micStarting;
  }

  private async openMicrophone(stream?: MediaStream): Promise<void> {
    if (this.stream) return;
    const audio = this.ensureAudio();
    audio.catch(() => {}); // awaited below, after the microphone
    let media = stream;
    if (!media) {
      if (!navigator.mediaDevices?.getUserMedia) {
        throw new DOMException('The microphone needs a secure page (https or localhost)', 'NotSupportedError');
      }
      media = await navigator.mediaDevices.getUserMedia({ audio: this.options.audio ?? DEFAULT_AUDIO });
      if (this.isOver()) {
        for (const track of media.getTracks()) track.stop();
        throw closedError();
      }
    }
    this.stream = media;
    this.ownStream = !stream;
    try {
      await audio;
      if (this.isOver() || !this.ctx) throw closedError();
      await this.attachMicrophone();
    } catch (e) {
      this.stopMicrophone();
      throw e;
    }
  }

  /** Muted, the frames sent carry silence (they keep coming, so the server sees time pass). */
  mute(muted: boolean): void {
    this.muted = muted;
    this.post(this.capture, { type: 'mute', muted });
  }

  /**
   * Opens the WebSocket and sends `start`. Resolves when the server answers `connected`; rejects with a
   * SipaiCallError when the call does not connect (refused, dropped, closed by close()). Either way every
   * problem is also an event, and the socket's end is a `closed` event.
   */
  connect(options: ConnectOptions): Promise<AudioFormat & { callId: string }> {
    if (this.disposed || this._state !== 'idle') {
      return Promise.reject(new SipaiCallError('connect() is called once per client', null, null, ''));
    }
    if (options.onEvent) this.onEvent = options.onEvent;
    this._state = 'connecting';
    this._callId = options.callId ?? null;
    const connected = new Promise<AudioFormat & { callId: string }>((resolve, reject) => {
      this.connectWaiter = { resolve, reject };
    });
    const audio = this.ensureAudio();
    void this.open(options, audio);
    return connected;
  }

  /** Typed input (`{"t":"text"}`), once connected. */
  sendText(text: string): boolean {
    return this.connectedSend({ t: 'text', text });
  }

  /** Keypad digits (`{"t":"dtmf"}`), once connected. */
  sendDtmf(digits: string): boolean {
    return this.connectedSend({ t: 'dtmf', digits });
  }

  /**
   * Hangs up: stops the microphone and the agent's audio, sends `{"t":"stop"}` (or, before `connected`, closes
   * the socket) and resolves once the socket is closed (after `ended`; at most about 5 s).
   */
  hangUp(): Promise<void> {
    if (this.disposed || this._state === 'idle' || this._state === 'closed') return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (this.hungUp) return closed;
    this.hungUp = true;
    this.stopMicrophone();
    this.pendingMarks = []; // the call is ending: nothing more is acknowledged
    this.post(this.playback, { type: 'clear' });
    this.position = this.enqueued;
    const ws = this.ws;
    if (!ws) {
      // The socket is not open yet (the worklets are loading): it never will be.
      this.onClose(1000, 'hung up', true);
    } else if (this._state === 'connected' && ws.readyState === WebSocket.OPEN) {
      this._state = 'closing';
      this.sendJson({ t: 'stop' });
      this.hangUpTimer = setTimeout(() => this.ws?.close(1000, 'hung up'), HANG_UP_TIMEOUT_MS);
    } else {
      // Before `connected` the server takes no message but start: closing is how a caller gives up.
      this._state = 'closing';
      ws.close(1000, 'hung up');
    }
    return closed;
  }

  /**
   * Ends everything now: socket (with `stop` first when connected), microphone (a stream the client opened),
   * AudioContext, timers. No event is reported after it. Safe to call more than once, e.g. when a page is left.
   */
  close(): void {
    if (this.disposed) return;
    this.disposed = true;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      if (ws.readyState === WebSocket.OPEN && this._state === 'connected') {
        try {
          ws.send(JSON.stringify({ t: 'stop' }));
        } catch {
          // closing anyway
        }
      }
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000, 'client closed');
    }
    this._state = 'closed';
    this.stopMicrophone();
    this.teardownAudio();
    clearTimeout(this.hangUpTimer);
    const waiter = this.connectWaiter;
    this.connectWaiter = null;
    waiter?.reject(new SipaiCallError('Closed by the client', null, 1000, 'client closed'));
    this.resolveCloseWaiters();
  }

  private isOver(): boolean {
    return this.disposed || this._state === 'closed';
  }

  // ---- audio

  /** Creates the AudioContext now (inside the caller's gesture) and loads the worklets and the playback node. */
  private ensureAudio(): Promise<void> {
    if (this.audioClosed) return Promise.reject(closedError());
    if (!this.audioReady) {
      try {
        this.ctx = createContext(this.rate);
      } catch (e) {
        this.audioReady = Promise.reject(e);
        return this.audioReady;
      }
      this.audioReady = this.buildGraph(this.ctx);
    }
    return this.audioReady;
  }

  private async buildGraph(ctx: AudioContext): Promise<void> {
    if (!ctx.audioWorklet) {
      throw new SipaiAudioError('AudioWorklet is not available (it needs a secure page: https or localhost)');
    }
    const urls = this.options.worklets ?? {
      capture: new URL(CAPTURE_FILE, import.meta.url),
      playback: new URL(PLAYBACK_FILE, import.meta.url),
    };
    try {
      await Promise.all([ctx.audioWorklet.addModule(String(urls.capture)), ctx.audioWorklet.addModule(String(urls.playback))]);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new SipaiAudioError(`The audio worklets could not be loaded from ${String(urls.capture)} (${detail})`, { cause: e });
    }
    if (this.audioClosed || ctx !== this.ctx) throw closedError();
    const node = new AudioWorkletNode(ctx, 'sipai-playback', {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { sampleRate: this.rate },
    });
    node.port.onmessage = (event: MessageEvent<PlaybackReport>) => this.onPlayback(event.data);
    node.connect(ctx.destination);
    this.playback = node;
    if (this.levelsTimer === undefined) {
      this.levelsTimer = setInterval(() => {
        this.emit({ type: 'levels', input: this.capture ? this.inputLevel : 0, output: this.outputLevel });
      }, this.options.levelsIntervalMs ?? 100);
    }
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
  }

  private async attachMicrophone(): Promise<void> {
    const ctx = this.ctx!;
    let source: MediaStreamAudioSourceNode;
    try {
      source = ctx.createMediaStreamSource(this.stream!);
    } catch (e) {
      // Firefox cannot connect a microphone to a context of another rate: rebuild at the device's rate (the
      // worklets then resample), once.
      if (!(e instanceof DOMException && e.name === 'NotSupportedError') || ctx.sampleRate !== this.rate) throw e;
      await this.rebuildAtDeviceRate();
      source = this.ctx!.createMediaStreamSource(this.stream!);
    }
    const capture = new AudioWorkletNode(this.ctx!, 'sipai-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: { sampleRate: this.rate },
    });
    capture.port.onmessage = (event: MessageEvent<CaptureReport>) => this.onFrame(event.data);
    source.connect(capture);
    // Its output is silence; connected so that every browser keeps pulling (running) it.
    capture.connect(this.ctx!.destination);
    this.source = source;
    this.capture = capture;
    this.post(capture, { type: 'mute', muted: this.muted });
  }

  private async rebuildAtDeviceRate(): Promise<void> {
    const old = this.ctx!;
    this.playback?.disconnect();
    this.playback = null;
    // Whatever was queued is lost: counted as done, like a clear.
    this.base = { played: this.playedSamples, position: this.enqueued };
    this.position = this.enqueued;
    this.ackMarks(true);
    void old.close().catch(() => {});
    this.ctx = new AudioContext({ latencyHint: 'interactive' });
    this.audioReady = this.buildGraph(this.ctx);
    await this.audioReady;
  }

  private stopMicrophone(): void {
    this.capture?.port.close();
    this.capture?.disconnect();
    this.source?.disconnect();
    this.capture = null;
    this.source = null;
    if (this.stream && this.ownStream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    this.inputLevel = 0;
  }

  private teardownAudio(): void {
    if (this.levelsTimer !== undefined && !this.audioClosed) this.emit({ type: 'levels', input: 0, output: 0 });
    this.audioClosed = true;
    clearInterval(this.levelsTimer);
    clearTimeout(this.drainTimer);
    this.playback?.port.close();
    this.playback?.disconnect();
    this.playback = null;
    const ctx = this.ctx;
    this.ctx = null;
    if (ctx && ctx.state !== 'closed') void ctx.close().catch(() => {});
  }

  private onFrame(report: CaptureReport): void {
    this.inputLevel = report.level;
    const ws = this.ws;
    if (this._state !== 'connected' || !ws || ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.counters.framesDropped++;
      return;
    }
    ws.send(report.pcm);
    this.counters.framesSent++;
    this.counters.bytesSent += report.pcm.byteLength;
  }

  private onPlayback(report: PlaybackReport): void {
    const played = this.base.played + report.played;
    this.position = Math.max(this.position, this.base.position + report.position);
    if (report.type === 'played') this.outputLevel = report.level;
    if (played !== this.playedSamples) {
      this.playedSamples = played;
      this.emit({ type: 'played', ms: this.played });
    }
    this.ackMarks(false);
    if (this.draining && this.position >= this.enqueued) this.teardownAudio();
  }

  private onAudio(data: ArrayBuffer): void {
    if (this._state !== 'connected' && this._state !== 'closing') return;
    this.counters.bytesReceived += data.byteLength;
    // PCM16 samples may straddle messages (any length is allowed): an odd byte waits for the next message.
    let bytes = new Uint8Array(data);
    if (this.carry !== null || bytes.length % 2 === 1) {
      const joined = new Uint8Array((this.carry === null ? 0 : 1) + bytes.length);
      if (this.carry !== null) joined[0] = this.carry;
      joined.set(bytes, this.carry === null ? 0 : 1);
      this.carry = joined.length % 2 === 1 ? joined[joined.length - 1]! : null;
      bytes = joined.subarray(0, joined.length - (joined.length % 2));
      data = bytes.slice().buffer;
    }
    const samples = data.byteLength / 2;
    if (samples === 0) return;
    this.enqueued += samples;
    if (this.playback && !this.hungUp) {
      this.post(this.playback, { type: 'audio', pcm: data }, [data]);
    } else {
      this.position += samples; // nowhere to play it: done with it
    }
  }

  private clearPlayback(): number {
    this.post(this.playback, { type: 'clear' });
    this.position = this.enqueued;
    return this.ackMarks(true);
  }

  /** Acknowledges the pending marks whose audio is done (all of them when `all`); returns how many. */
  private ackMarks(all: boolean): number {
    let n = 0;
    while (this.pendingMarks.length > 0 && (all || this.pendingMarks[0]!.at <= this.position)) {
      const mark = this.pendingMarks.shift()!;
      if (this._state === 'connected' && this.sendJson({ t: 'mark', name: mark.name })) {
        this.counters.marksAcknowledged++;
      }
      this.emit({ type: 'mark', name: mark.name, cleared: all });
      n++;
    }
    return n;
  }

  // ---- socket

  private async open(options: ConnectOptions, audio: Promise<void>): Promise<void> {
    try {
      await audio;
    } catch (e) {
      if (this.disposed) return;
      const message = e instanceof Error ? e.message : String(e);
      this.emit({ type: 'error', code: 'audio_unavailable', message });
      this.onClose(1006, message, false);
      return;
    }
    if (this.disposed || this._state !== 'connecting') return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(socketUrl(options.url), options.protocols ?? [PROTOCOL]);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.emit({ type: 'error', code: 'bad_url', message: `The call's URL cannot be opened: ${message}` });
      this.onClose(1006, message, false);
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      const start: Record<string, unknown> = { t: 'start', v: 1 };
      if (options.callId) start['callId'] = options.callId;
      if (options.agentId) start['agentId'] = options.agentId;
      if (options.metadata) start['metadata'] = options.metadata;
      start['audio'] = { encoding: 'pcm16', sampleRate: this.rate };
      this.sendJson(start);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.onText(event.data);
      else if (event.data instanceof ArrayBuffer) this.onAudio(event.data);
    };
    ws.onerror = () => {}; // the close follows, with its code
    ws.onclose = (event: CloseEvent) => {
      if (ws === this.ws) this.onClose(event.code, event.reason, event.wasClean);
    };
  }

  private onText(text: string): void {
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object') return;
      msg = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
    switch (msg['t']) {
      case 'connected': {
        if (this._state !== 'connecting') return;
        const given = (msg['audio'] ?? {}) as Record<string, unknown>;
        const audio: AudioFormat = {
          encoding: str(given['encoding'], 'pcm16'),
          sampleRate: typeof given['sampleRate'] === 'number' ? given['sampleRate'] : this.rate,
          frameMs: typeof given['frameMs'] === 'number' ? given['frameMs'] : 20,
        };
        this._callId = str(msg['callId'], this._callId ?? '');
        if (audio.encoding !== 'pcm16') {
          this.emit({ type: 'error', code: 'unsupported_audio', message: `Unsupported audio encoding ${audio.encoding}` });
          this._state = 'connected';
          void this.hangUp();
          return;
        }
        if (audio.sampleRate !== this.rate) {
          this.rate = audio.sampleRate;
          this.post(this.capture, { type: 'rate', sampleRate: this.rate });
          this.post(this.playback, { type: 'rate', sampleRate: this.rate });
        }
        this._state = 'connected';
        this.wasConnected = true;
        const waiter = this.connectWaiter;
        this.connectWaiter = null;
        this.emit({ type: 'connected', callId: this._callId, audio });
        waiter?.resolve({ ...audio, callId: this._callId });
        return;
      }
      case 'transcript':
        this.emit({ type: 'transcript', text: str(msg['text']), final: msg['final'] === true });
        return;
      case 'agent':
        this.emit({ type: 'agent', text: str(msg['text']) });
        return;
      case 'clear': {
        const marks = this.clearPlayback();
        this.emit({ type: 'clear', marks });
        return;
      }
      case 'mark': {
        const name = msg['name'];
        if (typeof name !== 'string' || this.hungUp) return;
        this.pendingMarks.push({ name, at: this.enqueued });
        this.ackMarks(false);
        return;
      }
      case 'transfer':
        this.emit({ type: 'transfer', target: str(msg['target']) });
        return;
      case 'error':
        this.lastError = { code: str(msg['code'], 'error'), message: str(msg['message']) };
        this.emit({ type: 'error', ...this.lastError });
        return;
      case 'ended': {
        this.endedSeen = true;
        if (this._state === 'connected' || this._state === 'connecting') this._state = 'closing';
        this.stopMicrophone();
        this.emit({
          type: 'ended',
          callId: str(msg['callId'], this._callId ?? ''),
          code: typeof msg['code'] === 'number' ? msg['code'] : 1000,
          reason: str(msg['reason']),
        });
        return;
      }
      default: // a newer server's message: ignored (additive changes keep version 1)
    }
  }

  private onClose(code: number, reason: string, wasClean: boolean): void {
    if (this.disposed || this._state === 'closed') return;
    this.ws = null;
    this._state = 'closed';
    clearTimeout(this.hangUpTimer);
    this.stopMicrophone();
    this.pendingMarks = [];
    // The agent's last words may still be queued: they play out unless the caller hung up.
    if (this.hungUp || !this.endedSeen || !this.playback || this.position >= this.enqueued) {
      this.teardownAudio();
    } else {
      this.draining = true;
      const left = ((this.enqueued - this.position) * 1000) / this.rate;
      this.drainTimer = setTimeout(() => this.teardownAudio(), Math.min(DRAIN_MAX_MS, left + 1000));
    }
    this.emit({ type: 'closed', code, reason, wasClean, ended: this.endedSeen, connected: this.wasConnected });
    const waiter = this.connectWaiter;
    this.connectWaiter = null;
    if (waiter) {
      const why = this.lastError
        ? `${this.lastError.code}: ${this.lastError.message}`
        : `close ${code}${reason ? ` ${reason}` : ''}`;
      waiter.reject(new SipaiCallError(`The call did not connect (${why})`, this.lastError?.code ?? null, code, reason));
    }
    this.resolveCloseWaiters();
  }

  private resolveCloseWaiters(): void {
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private connectedSend(message: Record<string, unknown>): boolean {
    return this._state === 'connected' && this.sendJson(message);
  }

  private sendJson(message: Record<string, unknown>): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  private post(node: AudioWorkletNode | null, message: CaptureCommand | PlaybackCommand, transfer?: ArrayBuffer[]): void {
    node?.port.postMessage(message, transfer ?? []);
  }

  private emit(event: VoiceEvent): void {
    if (this.disposed) return;
    try {
      this.onEvent(event);
    } catch (e) {
      console.error('sipai voice client: an onEvent handler threw', e);
    }
  }
}

const closedError = () => new SipaiCallError('The client is closed', null, null, '');

/** An AudioContext at the call's rate (the browser resamples the microphone and the output); else the device's. */
function createContext(rate: number): AudioContext {
  if (typeof AudioContext === 'undefined') throw new SipaiAudioError('Web Audio is not available in this browser');
  let ctx: AudioContext;
  try {
    ctx = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
  } catch {
    ctx = new AudioContext({ latencyHint: 'interactive' });
  }
  // Inside the user's gesture, so that the context may play.
  if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
  return ctx;
}

/** ws(s) as given; http(s) turned into ws(s); a relative URL resolved against the page. */
function socketUrl(url: string): string {
  const u = new URL(url, location.href);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}
