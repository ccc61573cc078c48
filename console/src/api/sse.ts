import { responseProblem } from './problem';

/**
 * Server-Sent Events over fetch(), because EventSource cannot send an Authorization header.
 * SseParser follows the event-stream format of the HTML standard (9.2.6); streamEvents adds reconnection with
 * Last-Event-ID.
 */

export interface SseEvent {
  /** `event:` field, "message" when absent. */
  type: string;
  /** `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen so far in the stream ("" when none). */
  id: string;
}

/** Incremental event-stream parser: feed it decoded text as it arrives; lines may end in \n, \r\n or \r. */
export class SseParser {
  private buffer = '';
  private pendingCr = false;
  private data: string[] | null = null;
  private eventType = '';
  lastEventId = '';

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(text: string): void {
    if (this.pendingCr) {
      // The previous chunk ended with \r: a \n starting this one belongs to the same line break.
      this.pendingCr = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const buf = this.buffer + text;
    const lineBreak = /\r\n|\r|\n/g;
    let pos = 0;
    for (let m = lineBreak.exec(buf); m !== null; m = lineBreak.exec(buf)) {
      const line = buf.slice(pos, m.index);
      pos = m.index + m[0].length;
      if (m[0] === '\r' && pos === buf.length) this.pendingCr = true;
      this.line(line);
    }
    this.buffer = buf.slice(pos);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        (this.data ??= []).push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default: // retry and unknown fields: ignored (the client has its own backoff)
    }
  }

  private dispatch(): void {
    // The standard drops an event without data; one that names its type is kept (a bare `event: end`).
    if (this.data !== null || this.eventType !== '') {
      this.onEvent({ type: this.eventType || 'message', data: (this.data ?? []).join('\n'), id: this.lastEventId });
    }
    this.data = null;
    this.eventType = '';
  }
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

export interface StreamOptions {
  url: string;
  headers: () => Record<string, string>;
  /** Where to resume: sent as Last-Event-ID, then the id of the last event received. */
  lastEventId?: string;
  /** Aborting it (the page was left) stops the stream for good. */
  signal: AbortSignal;
  onEvent: (event: SseEvent) => void;
  /** `message` is the problem of a failed attempt (`reconnecting`, `failed`). */
  onState: (state: StreamState, message?: string) => void;
  /** The event after which the server closes the stream and no reconnection is wanted. */
  endEvent?: string;
  /** No byte (keep-alives included) for this long means a dead connection: reconnect. */
  idleTimeoutMs?: number;
}

const FATAL = new Set([401, 403, 404]);
const backoff = (attempt: number) => Math.min(1000 * 2 ** attempt, 5000); // 1 s, 2 s, 4 s, then 5 s

/** Reads the stream until the end event, a fatal answer or abort; reconnects with backoff otherwise. */
export async function streamEvents(options: StreamOptions): Promise<void> {
  const { signal, endEvent = 'end', idleTimeoutMs = 45_000 } = options;
  let lastEventId = options.lastEventId ?? '';
  let attempt = 0;
  options.onState('connecting');
  while (!signal.aborted) {
    let problem: string;
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal.addEventListener('abort', stop);
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, idleTimeoutMs);
    };
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers() };
      if (lastEventId !== '') headers['Last-Event-ID'] = lastEventId;
      touch();
      const response = await fetch(options.url, { headers, signal: connection.signal, cache: 'no-store' });
      if (!response.ok) {
        problem = await responseProblem(response);
        if (FATAL.has(response.status)) {
          options.onState('failed', problem);
          return;
        }
      } else if (!response.body || !(response.headers.get('Content-Type') ?? '').startsWith('text/event-stream')) {
        options.onState('failed', `Not an event stream (${response.headers.get('Content-Type') ?? 'no content type'})`);
        return;
      } else {
        attempt = 0;
        options.onState('live');
        let ended = false;
        const parser = new SseParser((event) => {
          lastEventId = event.id;
          if (event.type === endEvent) ended = true;
          options.onEvent(event);
        });
        parser.lastEventId = lastEventId; // an event without its own id keeps the one resumed from
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        while (!ended) {
          const { done, value } = await reader.read();
          if (done) break;
          touch();
          parser.push(decoder.decode(value, { stream: true }));
        }
        // A keep-alive may carry the position too (an id with no data): resume from the last one seen.
        lastEventId = parser.lastEventId;
        if (ended) {
          await reader.cancel().catch(() => undefined);
          options.onState('ended');
          return;
        }
        problem = 'The stream was closed';
      }
    } catch (e) {
      if (signal.aborted) return;
      problem = connection.signal.aborted ? 'No data for too long' : e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(idle);
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) return;
    options.onState('reconnecting', problem);
    await sleep(backoff(attempt++), signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
