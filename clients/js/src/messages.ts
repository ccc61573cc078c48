/**
 * Messages between SipaiVoiceClient (main thread) and its two AudioWorklet processors. Types only: nothing here
 * exists at run time, so the worklets stay self-contained files.
 */

/** Main thread -> capture processor. */
export type CaptureCommand =
  /** Muted: the frames carry silence (they keep flowing, so the server's VAD sees time pass). */
  | { type: 'mute'; muted: boolean }
  /** The rate of the frames to produce (the call's rate; 16000 unless the server says otherwise). */
  | { type: 'rate'; sampleRate: number };

/** Capture processor -> main thread: one frame of PCM16 little-endian mono, and its RMS level (0..1). */
export type CaptureReport = { type: 'frame'; pcm: ArrayBuffer; level: number };

/** Main thread -> playback processor. */
export type PlaybackCommand =
  /** Agent audio: PCM16 little-endian mono at the call's rate, queued after what is queued. */
  | { type: 'audio'; pcm: ArrayBuffer }
  /** Drop everything queued, now (barge-in). */
  | { type: 'clear' }
  /** The rate of the agent audio. */
  | { type: 'rate'; sampleRate: number };

/**
 * Playback processor -> main thread. Counts are in samples of the agent audio (the call's rate):
 * `played` = samples actually played out; `position` = samples done with (played or cleared), so a sample
 * enqueued as the n-th is done once `position >= n`.
 */
export type PlaybackReport =
  | { type: 'played'; played: number; position: number; queued: number; level: number }
  | { type: 'cleared'; played: number; position: number };
