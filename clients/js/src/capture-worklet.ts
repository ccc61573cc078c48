/**
 * AudioWorklet processor `sipai-capture`: the microphone (its one input, down-mixed to mono by the node) as PCM16
 * little-endian frames of 20 ms at the call's rate (320 samples, 640 bytes at 16 kHz), each posted to the main
 * thread with its RMS level. Muted, the frames carry silence but keep coming.
 *
 * When the AudioContext runs at the call's rate (the client asks for it; Chromium resamples the microphone) the
 * samples pass through; otherwise (a browser that cannot) they are resampled here: averaged down (a box filter
 * against aliasing) or interpolated up.
 *
 * Self-contained on purpose (no imports at run time): it is loaded by URL with audioWorklet.addModule().
 */
import type { CaptureCommand, CaptureReport } from './messages.js';

const FRAME_MS = 20;

class CaptureProcessor extends AudioWorkletProcessor {
  private frameSamples = 320;
  private frame = new Int16Array(320);
  private filled = 0;
  private sumSquares = 0;
  private muted = false;
  // down-sampling: input samples per output sample, the phase within it, and the running sum
  private ratio = 1;
  private phase = 0;
  private sum = 0;
  private count = 0;
  // up-sampling: the previous input sample and the position of the next output between it and the next
  private previous = 0;
  private t = 0;

  constructor(options?: WorkletProcessorOptions) {
    super(options);
    const rate = Number(options?.processorOptions?.['sampleRate']);
    this.configure(Number.isFinite(rate) && rate > 0 ? rate : 16000);
    this.port.onmessage = (event) => {
      const command = event.data as CaptureCommand;
      if (command.type === 'mute') this.muted = command.muted;
      else if (command.type === 'rate') this.configure(command.sampleRate);
    };
  }

  private configure(rate: number): void {
    this.ratio = sampleRate / rate;
    this.frameSamples = Math.round((rate * FRAME_MS) / 1000);
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.sumSquares = 0;
    this.phase = 0;
    this.sum = 0;
    this.count = 0;
    this.t = 0;
  }

  process(inputs: Float32Array[][]): boolean {
    // No input channel (the track ended, or nothing connected yet): silence, so frames keep their pace.
    const input = inputs[0]?.[0];
    const n = input ? input.length : 128;
    if (this.ratio === 1) {
      for (let i = 0; i < n; i++) this.push(input ? input[i]! : 0);
    } else if (this.ratio > 1) {
      for (let i = 0; i < n; i++) {
        this.sum += input ? input[i]! : 0;
        this.count++;
        this.phase += 1;
        if (this.phase >= this.ratio) {
          this.phase -= this.ratio;
          this.push(this.sum / this.count);
          this.sum = 0;
          this.count = 0;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = input ? input[i]! : 0;
        while (this.t < 1) {
          this.push(this.previous + (x - this.previous) * this.t);
          this.t += this.ratio;
        }
        this.t -= 1;
        this.previous = x;
      }
    }
    return true;
  }

  private push(sample: number): void {
    let s = this.muted ? 0 : sample;
    if (s > 1) s = 1;
    else if (s < -1) s = -1;
    this.sumSquares += s * s;
    this.frame[this.filled++] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
    if (this.filled === this.frameSamples) {
      const level = Math.sqrt(this.sumSquares / this.filled);
      // Int16Array is little-endian on every platform browsers run on; the buffer is handed over, not copied.
      const pcm = this.frame.buffer as ArrayBuffer;
      const report: CaptureReport = { type: 'frame', pcm, level };
      this.port.postMessage(report, [pcm]);
      this.frame = new Int16Array(this.frameSamples); // the old one went with its buffer (detached)
      this.filled = 0;
      this.sumSquares = 0;
    }
  }
}

registerProcessor('sipai-capture', CaptureProcessor);
