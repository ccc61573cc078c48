/**
 * Pure functions over a call's timeline entries: parsing, merging, one-line summaries and the views derived from
 * them (conversation, tool calls, DTMF, turn latency). The payload fields are those of the Avro CallEvent
 * (schemas/src/main/avro/events/CallEvent.avsc) as the API renders them: `type` names the record, timestamps are
 * ISO-8601 text, enums their symbol, absent optional fields null.
 */

interface Counters {
  globalActive: number;
  globalLimit: number;
  tenantActive: number;
  tenantLimit: number;
  campaignActive: number | null;
  campaignLimit: number | null;
}

type Ms = number | null;

/** The payload of each event type, field for field as in CallEvent.avsc. */
export type Payload =
  | {
      type: 'CallRequested';
      direction: string;
      transport: string;
      from: string | null;
      to: string | null;
      metadata: Record<string, string>;
    }
  | { type: 'CallAdmitted'; counters: Counters; leaseExpiresAt: string }
  | { type: 'CallRejected'; limit: string; detail: string; counters: Counters }
  | {
      type: 'CallStarted';
      direction: string;
      from: string | null;
      to: string | null;
      transport: string;
      edgeNode: string | null;
    }
  | { type: 'CallAnswered'; answeredBy: string | null }
  | { type: 'UserSpeechStarted'; audioOffsetMs: number; turn: number }
  | {
      type: 'TranscriptChunk';
      text: string;
      isFinal: boolean;
      confidence: number | null;
      audioStartMs: number;
      audioEndMs: number;
      turn: number;
      engine: string | null;
    }
  | {
      type: 'AgentUtterance';
      utteranceId: string;
      text: string;
      interrupted: boolean;
      heardText: string | null;
      turn: number;
    }
  | { type: 'BargeIn'; utteranceId: string | null; audioOffsetMs: number; reactionMs: number }
  | { type: 'ToolCallRequested'; toolCallId: string; name: string; argumentsJson: string }
  | {
      type: 'ToolCallCompleted';
      toolCallId: string;
      name: string;
      success: boolean;
      resultJson: string | null;
      error: string | null;
      durationMs: number;
    }
  | { type: 'DtmfReceived'; digits: string; durationMs: number | null }
  | { type: 'TurnMetrics'; turn: number; asrFinalMs: Ms; llmFirstTokenMs: Ms; ttsFirstByteMs: Ms; voiceToVoiceMs: Ms }
  | { type: 'RecordingAvailable'; uri: string; contentType: string; durationMs: number }
  | { type: 'CallEnded'; reason: string; detail: string | null; durationMs: number }
  | { type: 'SlotReclaimed'; lastHeartbeatAt: string; leaseExpiredAt: string; counters: Counters };

export interface CallEvent {
  eventId: string;
  callId: string;
  tenantId: string;
  campaignId: string | null;
  agentId: string | null;
  occurredAt: string;
  source: string;
  payload: Payload;
}

/** A timeline entry as GET /v1/calls/{id}/timeline and the /events stream give it. */
export interface Entry {
  seq: number;
  eventId: string;
  eventType: string;
  occurredAt: string;
  source: string;
  event: CallEvent;
}

/** The entry in `raw` (a parsed TimelineEntry), or null when it has no seq or event. */
export function toEntry(raw: unknown): Entry | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Partial<Record<keyof Entry, unknown>>;
  if (typeof r.seq !== 'number' || r.event === null || typeof r.event !== 'object') return null;
  const event = r.event as CallEvent;
  const payload = event.payload as { type?: unknown } | null | undefined;
  const type = typeof r.eventType === 'string' ? r.eventType : typeof payload?.type === 'string' ? payload.type : '';
  return {
    seq: r.seq,
    eventId: typeof r.eventId === 'string' ? r.eventId : event.eventId,
    eventType: type,
    occurredAt: typeof r.occurredAt === 'string' ? r.occurredAt : event.occurredAt,
    source: typeof r.source === 'string' ? r.source : event.source,
    event,
  };
}

/** `current` with the entries of `incoming` it lacks, in seq order; `current` itself when nothing is new. */
export function mergeEntries(current: readonly Entry[], incoming: readonly Entry[]): Entry[] {
  const seen = new Set(current.map((e) => e.seq));
  const added: Entry[] = [];
  for (const e of incoming) {
    if (!seen.has(e.seq)) {
      seen.add(e.seq);
      added.push(e);
    }
  }
  if (added.length === 0) return current as Entry[];
  const merged = [...current, ...added];
  const last = current.length > 0 ? current[current.length - 1]!.seq : 0;
  const inOrder = added.every((e, i) => e.seq > (i === 0 ? last : added[i - 1]!.seq));
  return inOrder ? merged : merged.sort((a, b) => a.seq - b.seq);
}

function payloadOf(entry: Entry): Payload | null {
  const p = entry.event?.payload as Payload | null | undefined;
  return p && typeof p === 'object' ? p : null;
}

const quote = (text: string) => `“${text}”`;
const ms = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${value} ms`);

function counters(c: Counters | null | undefined): string {
  if (!c) return '';
  const campaign =
    c.campaignLimit !== null && c.campaignLimit !== undefined ? `, campaign ${c.campaignActive}/${c.campaignLimit}` : '';
  return `tenant ${c.tenantActive}/${c.tenantLimit}, global ${c.globalActive}/${c.globalLimit}${campaign}`;
}

/** Compact JSON text of a JSON string (as sent), or the text itself when it is not JSON. */
export function compactJson(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** One line saying what the entry's event is about. */
export function summary(entry: Entry): string {
  const p = payloadOf(entry);
  if (!p) return '';
  switch (p.type) {
    case 'CallRequested':
      return `${p.direction} via ${p.transport}${p.from ? ` from ${p.from}` : ''}${p.to ? ` to ${p.to}` : ''}`;
    case 'CallAdmitted':
      return `slot granted (${counters(p.counters)})`;
    case 'CallRejected':
      return `${p.limit} limit: ${p.detail}`;
    case 'CallStarted':
      return `media up, ${p.direction} via ${p.transport}${p.edgeNode ? ` on ${p.edgeNode}` : ''}`;
    case 'CallAnswered':
      return p.answeredBy ? `answered by ${p.answeredBy}` : 'answered';
    case 'UserSpeechStarted':
      return `caller speaks (turn ${p.turn}, at ${p.audioOffsetMs} ms)`;
    case 'TranscriptChunk':
      return `${p.isFinal ? 'final' : 'partial'} (turn ${p.turn}): ${quote(p.text)}`;
    case 'AgentUtterance':
      return `${p.interrupted ? 'interrupted ' : ''}(turn ${p.turn}): ${quote(p.text)}`;
    case 'BargeIn':
      return `caller barged in at ${p.audioOffsetMs} ms, playback cleared in ${p.reactionMs} ms`;
    case 'ToolCallRequested':
      return `${p.name}(${compactJson(p.argumentsJson)})`;
    case 'ToolCallCompleted':
      return p.success
        ? `${p.name} ok in ${p.durationMs} ms: ${compactJson(p.resultJson)}`
        : `${p.name} failed in ${p.durationMs} ms: ${p.error ?? 'error'}`;
    case 'DtmfReceived':
      return `digits ${p.digits}`;
    case 'TurnMetrics':
      return (
        `turn ${p.turn}: voice-to-voice ${ms(p.voiceToVoiceMs)} ` +
        `(ASR ${ms(p.asrFinalMs)}, LLM ${ms(p.llmFirstTokenMs)}, TTS ${ms(p.ttsFirstByteMs)})`
      );
    case 'RecordingAvailable':
      return `${p.contentType}, ${p.durationMs} ms: ${p.uri}`;
    case 'CallEnded':
      return `${p.reason}${p.detail ? `: ${p.detail}` : ''} after ${p.durationMs} ms`;
    case 'SlotReclaimed':
      return `slot reclaimed, lease expired at ${p.leaseExpiredAt}`;
    default: {
      // An event type newer than this console: its fields as JSON.
      const { type: _type, ...fields } = p as { type: string };
      return JSON.stringify(fields);
    }
  }
}

export interface Utterance {
  seq: number;
  speaker: 'caller' | 'agent';
  text: string;
  turn: number;
  occurredAt: string;
  /** Agent only: the caller barged in; `heardText` is what was played before. */
  interrupted: boolean;
  heardText: string | null;
}

/** The conversation: final caller transcripts and agent utterances, in timeline order. */
export function transcript(entries: readonly Entry[]): Utterance[] {
  const out: Utterance[] = [];
  for (const e of entries) {
    const p = payloadOf(e);
    const at = { seq: e.seq, occurredAt: e.occurredAt };
    if (p?.type === 'TranscriptChunk' && p.isFinal) {
      out.push({ ...at, speaker: 'caller', text: p.text, turn: p.turn, interrupted: false, heardText: null });
    } else if (p?.type === 'AgentUtterance') {
      out.push({ ...at, speaker: 'agent', text: p.text, turn: p.turn, interrupted: p.interrupted, heardText: p.heardText });
    }
  }
  return out;
}

export interface ToolCall {
  toolCallId: string;
  name: string;
  seq: number;
  occurredAt: string;
  arguments: string;
  /** null while the call runs. */
  outcome: { success: boolean; result: string; error: string | null; durationMs: number } | null;
}

/** Tool calls, each request with its completion (paired by toolCallId), in request order. */
export function toolCalls(entries: readonly Entry[]): ToolCall[] {
  const byId = new Map<string, ToolCall>();
  for (const e of entries) {
    const p = payloadOf(e);
    const at = { seq: e.seq, occurredAt: e.occurredAt };
    if (p?.type === 'ToolCallRequested') {
      const outcome = byId.get(p.toolCallId)?.outcome ?? null; // a completion seen first
      const args = compactJson(p.argumentsJson);
      byId.set(p.toolCallId, { toolCallId: p.toolCallId, name: p.name, ...at, arguments: args, outcome });
    } else if (p?.type === 'ToolCallCompleted') {
      const outcome = { success: p.success, result: compactJson(p.resultJson), error: p.error, durationMs: p.durationMs };
      const call = byId.get(p.toolCallId) ?? { toolCallId: p.toolCallId, name: p.name, ...at, arguments: '', outcome };
      byId.set(p.toolCallId, { ...call, outcome });
    }
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export interface Dtmf {
  seq: number;
  digits: string;
  occurredAt: string;
}

export function dtmf(entries: readonly Entry[]): Dtmf[] {
  const out: Dtmf[] = [];
  for (const e of entries) {
    const p = payloadOf(e);
    if (p?.type === 'DtmfReceived') out.push({ seq: e.seq, digits: p.digits, occurredAt: e.occurredAt });
  }
  return out;
}

export type TurnLatency = Extract<Payload, { type: 'TurnMetrics' }> & { seq: number };

export function turnLatency(entries: readonly Entry[]): TurnLatency[] {
  const out: TurnLatency[] = [];
  for (const e of entries) {
    const p = payloadOf(e);
    if (p?.type === 'TurnMetrics') out.push({ ...p, seq: e.seq });
  }
  return out;
}

export function latencyText(t: TurnLatency): string {
  return (
    `voice-to-voice ${ms(t.voiceToVoiceMs)} · ASR ${ms(t.asrFinalMs)} · ` +
    `LLM first token ${ms(t.llmFirstTokenMs)} · TTS first byte ${ms(t.ttsFirstByteMs)}`
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** HH:MM:SS.mmm in local time; "" for a missing or bad time. */
export function clock(time: string | number | null | undefined): string {
  if (time === null || time === undefined || time === '') return '';
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** YYYY-MM-DD HH:MM:SS in local time; "" for a missing or bad time. */
export function dateTime(time: string | number | null | undefined): string {
  if (time === null || time === undefined || time === '') return '';
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return '';
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 83450 -> "1:23.4"; "" when absent. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const tenths = Math.round(ms / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = (tenths % 600) / 10;
  return `${minutes}:${seconds < 10 ? '0' : ''}${seconds.toFixed(1)}`;
}

/** An interim transcript (revised by a later chunk): shown dimmed. */
export function isPartial(entry: Entry): boolean {
  const p = payloadOf(entry);
  return p?.type === 'TranscriptChunk' && !p.isFinal;
}
