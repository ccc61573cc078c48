/**
 * AudioWorklet processor `sipai-playback`: plays the agent's audio (PCM16 little-endian mono chunks posted by the
 * main thread, converted to Float32 and queued) on its one output, silence when the queue is empty. About every
 * 20 ms it reports how many samples it has played and how many it is done with (played or cleared), and the RMS
 * level of what it played; `clear` drops the queue at once.
 *
 * Counts are in samples of the agent audio. When the AudioContext runs at another rate than the audio (a browser
 * that would not open a 16 kHz context) the audio is interpolated up (or down) to the context's rate here.
 *
 * Self-contained on purpose (no imports at run time): it is loaded by URL with audioWorklet.addModule().
 */
import type { PlaybackCommand, PlaybackReport } from './messages.js';

const REPORT_MS = 20;

class PlaybackProcessor extends AudioWorkletProcessor {
  private chunks: Float32Array[] = [];
  /** Read position in chunks[0]. */
  private offset = 0;
  private queued = 0;
  private played = 0;
  private position = 0;
  /** Agent samples per output sample (1 when the context runs at the audio's rate). */
  private ratio = 1;
  // interpolation between the agent samples a and b, t in [0, 1)
  private a = 0;
  private b = 0;
  private t = 0;
  private readonly reportFrames = Math.max(128, Math.round((sampleRate * REPORT_MS) / 1000));
  private sinceReport = 0;
  private sumSquares = 0;
  private levelFrames = 0;

  constructor(options?: WorkletProcessorOptions) {
    super(options);
    const rate = Number(options?.processorOptions?.['sampleRate']);
    this.ratio = (Number.isFinite(rate) && rate > 0 ? rate : 16000) / sampleRate;
    this.port.onmessage = (event) => {
      const command = event.data as PlaybackCommand;
      switch (command.type) {
        case 'audio':
          this.enqueue(command.pcm);
          break;
        case 'clear':
          this.clear();
          break;
        case 'rate':
          this.ratio = command.sampleRate / sampleRate;
          break;
      }
    };
  }

  private enqueue(buffer: ArrayBuffer): void {
    const pcm = new Int16Array(buffer, 0, buffer.byteLength >> 1);
    if (pcm.length === 0) return;
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i]! / 0x8000;
    this.chunks.push(samples);
    this.queued += samples.length;
  }

  private clear(): void {
    this.position += this.queued;
    this.chunks = [];
    this.offset = 0;
    this.queued = 0;
    this.a = 0;
    this.b = 0;
    this.t = 0;
    const report: PlaybackReport = { type: 'cleared', played: this.played, position: this.position };
    this.port.postMessage(report);
  }

  /** The next agent sample, counted as played; null when nothing is queued. */
  private next(): number | null {
    if (this.queued === 0) return null;
    const chunk = this.chunks[0]!;
    const sample = chunk[this.offset++]!;
    if (this.offset === chunk.length) {
      this.chunks.shift();
      this.offset = 0;
    }
    this.queued--;
    this.played++;
    this.position++;
    return sample;
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    const channel = out?.[0];
    if (!out || !channel) return true;
    const n = channel.length;
    if (this.ratio === 1) {
      for (let i = 0; i < n; i++) {
        const s = this.next() ?? 0;
        channel[i] = s;
        this.sumSquares += s * s;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const s = this.a + (this.b - this.a) * this.t;
        channel[i] = s;
        this.sumSquares += s * s;
        this.t += this.ratio;
        while (this.t >= 1) {
          this.t -= 1;
          this.a = this.b;
          this.b = this.next() ?? 0;
        }
      }
    }
    for (let c = 1; c < out.length; c++) out[c]!.set(channel);
    this.levelFrames += n;
    this.sinceReport += n;
    if (this.sinceReport >= this.reportFrames) {
      this.sinceReport = 0;
      const report: PlaybackReport = {
        type: 'played',
        played: this.played,
        position: this.position,
        queued: this.queued,
        level: Math.sqrt(this.sumSquares / this.levelFrames),
      };
      this.port.postMessage(report);
      this.sumSquares = 0;
      this.levelFrames = 0;
    }
    return true;
  }
}

registerProcessor('sipai-playback', PlaybackProcessor);
