/**
 * The AudioWorkletGlobalScope, as far as the two processors use it (TypeScript ships no lib for it). Only the
 * worklet files are compiled with these declarations (tsconfig.worklets.json, without the DOM lib).
 */

interface WorkletMessageEvent {
  readonly data: unknown;
}

interface WorkletMessagePort {
  onmessage: ((event: WorkletMessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
}

interface WorkletProcessorOptions {
  numberOfInputs?: number;
  numberOfOutputs?: number;
  outputChannelCount?: number[];
  processorOptions?: Record<string, unknown>;
}

declare abstract class AudioWorkletProcessor {
  readonly port: WorkletMessagePort;
  constructor(options?: WorkletProcessorOptions);
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

declare function registerProcessor(
  name: string,
  processorCtor: new (options?: WorkletProcessorOptions) => AudioWorkletProcessor,
): void;

/** The context's sample rate. */
declare const sampleRate: number;
declare const currentFrame: number;
declare const currentTime: number;
