import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, authHeaders, result, type Call, type CallAnalysis } from '../api/client';
import { streamEvents, type StreamState } from '../api/sse';
import {
  clock,
  dtmf,
  duration,
  isPartial,
  latencyText,
  mergeEntries,
  summary,
  toEntry,
  toolCalls,
  transcript,
  turnLatency,
  type Entry,
} from '../timeline';
import { TracePanel } from '../trace';
import { ErrorBanner, StatusBadge, Time } from '../ui';

const REFRESH_MS = 2000;
const TERMINAL_STATUS = new Set(['ENDED', 'REJECTED']);
const FATAL = new Set([401, 403, 404]);
const LIVE_TEXT: Record<StreamState, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  ended: 'ended',
  failed: 'not live',
};

/** One call: its fields, the conversation, tool calls, DTMF, turn latency and the live timeline (SSE). */
export function CallPage({ id }: { id: string }) {
  const [call, setCall] = useState<Call | null>(null);
  const [callError, setCallError] = useState<string | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [live, setLive] = useState<StreamState>('connecting');
  const [liveError, setLiveError] = useState<string | null>(null);
  const [ends, setEnds] = useState(0);

  // The call: read now, every 2 s until it is over, and again when its stream ends (status and end reason).
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let afterEnd = 0;
    const refresh = async () => {
      const answer = await result(api.GET('/v1/calls/{id}', { params: { path: { id } }, signal: abort.signal }));
      if (abort.signal.aborted) return;
      if (answer.ok) {
        setCall(answer.data);
        setCallError(null);
        // An ended call's artifacts come after its end: read on until its analysis is settled and its recording is
        // there (a few reads for a call that is not recorded), for a minute at most.
        const ended = answer.data.status === 'ENDED';
        const analyzing = ended && (answer.data.analysis?.status ?? 'PENDING') === 'PENDING';
        const recording = ended && answer.data.recording === undefined && afterEnd < 5;
        if (TERMINAL_STATUS.has(answer.data.status ?? '') && (!(analyzing || recording) || ++afterEnd > 30)) return;
      } else {
        setCallError(answer.message);
        if (FATAL.has(answer.status)) return;
      }
      timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [id, ends]);

  // The timeline: the live stream, from the first entry (the server replays the entries projected so far). While
  // the stream is down, the entries after the last one shown are read from the REST timeline meanwhile.
  useEffect(() => {
    const abort = new AbortController();
    const stream = new AbortController();
    abort.signal.addEventListener('abort', () => stream.abort());
    let last = 0;
    let catchingUp = false;
    const add = (batch: Entry[]) => {
      for (const e of batch) last = Math.max(last, e.seq);
      setEntries((current) => mergeEntries(current, batch));
    };
    const state = (s: StreamState, message?: string) => {
      if (abort.signal.aborted) return;
      setLive(s);
      setLiveError(message ?? null);
      if (s === 'ended') setEnds((n) => n + 1);
    };
    const catchUp = async () => {
      if (catchingUp) return;
      catchingUp = true;
      try {
        for (;;) {
          const answer = await result(
            api.GET('/v1/calls/{id}/timeline', {
              params: { path: { id }, query: { after: last, limit: 200 } },
              signal: abort.signal,
            }),
          );
          if (abort.signal.aborted || !answer.ok) return;
          const page = (answer.data.data ?? []).map(toEntry).filter((e): e is Entry => e !== null);
          add(page);
          if (!answer.data.nextCursor || page.length === 0) return;
        }
      } finally {
        catchingUp = false;
      }
    };
    void streamEvents({
      url: `/v1/calls/${encodeURIComponent(id)}/events`,
      headers: () => authHeaders(),
      signal: stream.signal,
      onEvent: (event) => {
        if (event.type !== 'entry') return;
        let entry: Entry | null = null;
        try {
          entry = toEntry(JSON.parse(event.data));
        } catch {
          return; // not JSON: skipped
        }
        if (entry === null) return;
        add([entry]);
        // A refused call has no CallEnded, so the server sends no end after its CallRejected: it ends here.
        if (entry.eventType === 'CallRejected') {
          stream.abort();
          state('ended');
        }
      },
      onState: (s, message) => {
        state(s, message);
        if (s === 'reconnecting' || s === 'failed') void catchUp();
      },
    });
    return () => abort.abort();
  }, [id]);

  const conversation = useMemo(() => transcript(entries), [entries]);
  const tools = useMemo(() => toolCalls(entries), [entries]);
  const digits = useMemo(() => dtmf(entries), [entries]);
  const latency = useMemo(() => turnLatency(entries), [entries]);

  return (
    <section class="call">
      <p class="crumbs">
        <a href="#/calls">← Calls</a>
      </p>
      <div class="heading">
        <h1>
          Call <code>{id}</code>
        </h1>
        <StatusBadge id="call-status" status={call?.status} />
        <span id="live" class={`live live-${live}`} title={liveError ?? undefined}>
          {LIVE_TEXT[live]}
        </span>
      </div>
      {callError !== null && <ErrorBanner>{callError}</ErrorBanner>}
      {liveError !== null && (
        <p class={`banner ${live === 'failed' ? 'error' : 'warn'}`} role="status">
          Live timeline {live === 'failed' ? 'unavailable' : 'interrupted, reconnecting'}: {liveError}
        </p>
      )}
      {call !== null && <CallFields call={call} />}

      <div class="columns">
        <section class="panel" aria-labelledby="h-conversation">
          <h2 id="h-conversation">Conversation</h2>
          <div id="transcript" class="conversation">
            {conversation.map((u) => (
              <div
                key={u.seq}
                class={`msg ${u.speaker}${u.interrupted ? ' interrupted' : ''}`}
                data-seq={u.seq}
                data-turn={u.turn}
              >
                <p class="text">{u.text}</p>
                {u.interrupted && (
                  <p class="note">interrupted{u.heardText !== null ? `, heard: “${u.heardText}”` : ''}</p>
                )}
              </div>
            ))}
          </div>
          {conversation.length === 0 && <p class="muted">Nothing said yet.</p>}
        </section>

        <div class="side">
          <section class="panel" aria-labelledby="h-latency">
            <h2 id="h-latency">Turn latency</h2>
            <ul id="turn-latency" class="plain">
              {latency.map((t) => (
                <li key={t.seq} data-turn={t.turn}>
                  <strong>Turn {t.turn}</strong> {latencyText(t)}
                </li>
              ))}
            </ul>
            {latency.length === 0 && <p class="muted">No turn measured yet.</p>}
          </section>

          <section class="panel" aria-labelledby="h-tools">
            <h2 id="h-tools">Tool calls</h2>
            <ul id="tool-calls" class="plain">
              {tools.map((t) => (
                <li
                  key={t.toolCallId}
                  data-tool-call-id={t.toolCallId}
                  class={`tool ${t.outcome === null ? 'pending' : t.outcome.success ? 'ok' : 'failed'}`}
                >
                  <code class="name">{t.name}</code>
                  <div class="args">
                    arguments <code>{t.arguments || '{}'}</code>
                  </div>
                  <div class="outcome">
                    {t.outcome === null
                      ? 'running…'
                      : t.outcome.success
                        ? <>ok in {t.outcome.durationMs} ms, result <code>{t.outcome.result || 'null'}</code></>
                        : `failed in ${t.outcome.durationMs} ms: ${t.outcome.error ?? 'error'}`}
                  </div>
                </li>
              ))}
            </ul>
            {tools.length === 0 && <p class="muted">No tool called.</p>}
          </section>

          <section class="panel" aria-labelledby="h-dtmf">
            <h2 id="h-dtmf">DTMF</h2>
            <p id="dtmf">
              {digits.map((d) => (
                <kbd key={d.seq} data-seq={d.seq} title={clock(d.occurredAt)}>
                  {d.digits}
                </kbd>
              ))}
            </p>
            {digits.length === 0 && <p class="muted">No digits pressed.</p>}
          </section>
        </div>
      </div>

      {call?.analysis !== undefined && call.analysis.status !== 'SKIPPED' && (
        <AnalysisPanel id={id} analysis={call.analysis} onRequested={() => setEnds((n) => n + 1)} />
      )}
      {call?.recording !== undefined && <RecordingPlayer id={id} />}

      <section class="panel" aria-labelledby="h-timeline">
        <h2 id="h-timeline">
          Timeline <span class="muted">{entries.length} entries</span>
        </h2>
        <Timeline entries={entries} />
      </section>

      <TracePanel id={id} />
    </section>
  );
}

/** The call's post-call analysis, and a button that asks for it again. */
function AnalysisPanel({ id, analysis, onRequested }: { id: string; analysis: CallAnalysis; onRequested: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const again = async () => {
    const answer = await result(api.POST('/v1/calls/{id}/analysis', { params: { path: { id } } }));
    if (answer.ok) {
      setError(null);
      onRequested();
    } else {
      setError(answer.message);
    }
  };
  return (
    <section class="panel" aria-labelledby="h-analysis">
      <h2 id="h-analysis">
        Analysis <span class="muted">{analysis.engine ?? ''}</span>
      </h2>
      <p id="analysis-status" class="muted">
        {analysis.status === 'DONE'
          ? `generation ${analysis.generation}, ${analysis.attempts} attempt${analysis.attempts === 1 ? '' : 's'}`
          : analysis.status === 'FAILED'
            ? `failed: ${analysis.error ?? 'unknown error'}`
            : `being made${analysis.error ? ` (last attempt: ${analysis.error})` : ''}`}
      </p>
      {analysis.status === 'DONE' && (
        <>
          <p id="analysis-summary">{analysis.summary}</p>
          <p id="analysis-success">
            <strong>{analysis.success ? 'Success' : 'Not a success'}</strong>
            {analysis.successReason ? `: ${analysis.successReason}` : ''}
          </p>
          {analysis.structuredData !== undefined && (
            <pre id="analysis-data">{JSON.stringify(analysis.structuredData, null, 2)}</pre>
          )}
        </>
      )}
      <button type="button" onClick={() => void again()} disabled={analysis.status === 'PENDING'}>
        Analyze again
      </button>
      {error !== null && <p class="banner error">{error}</p>}
    </section>
  );
}

/**
 * The call's recording in an audio player. The API needs the key in a header, which an audio element cannot send,
 * so the file is read once with fetch and played from memory.
 */
function RecordingPlayer({ id }: { id: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let url: string | null = null;
    void (async () => {
      try {
        const response = await fetch(`/v1/calls/${encodeURIComponent(id)}/recording`, {
          headers: authHeaders(),
          signal: abort.signal,
        });
        if (!response.ok) {
          setError(`Recording unavailable (HTTP ${response.status}).`);
          return;
        }
        url = URL.createObjectURL(await response.blob());
        if (!abort.signal.aborted) setSrc(url);
      } catch {
        if (!abort.signal.aborted) setError('Recording unavailable.');
      }
    })();
    return () => {
      abort.abort();
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [id]);
  return (
    <section class="panel" aria-labelledby="h-recording">
      <h2 id="h-recording">Recording</h2>
      {src !== null && (
        <p>
          <audio id="recording" controls preload="metadata" src={src} />{' '}
          <a href={src} download={`${id}.wav`}>
            Download
          </a>
        </p>
      )}
      {src === null && error === null && <p class="muted">Loading…</p>}
      {error !== null && <p class="muted">{error}</p>}
    </section>
  );
}

/** The entries in a scrolling box that follows new entries while it is scrolled to its end. */
function Timeline({ entries }: { entries: Entry[] }) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    if (following.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [entries]);
  const onScroll = () => {
    const el = box.current;
    if (el) following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 16;
  };
  return (
    <div class="timeline-box" ref={box} onScroll={onScroll}>
      <ol id="timeline">
        {entries.map((e) => {
          const text = summary(e);
          return (
            <li key={e.seq} data-seq={e.seq} data-type={e.eventType} class={isPartial(e) ? 'partial' : undefined}>
              <span class="seq">{e.seq}</span>
              <time dateTime={e.occurredAt}>{clock(e.occurredAt)}</time>
              <span class="type">{e.eventType}</span>
              <span class="summary" title={text}>
                {text}
              </span>
            </li>
          );
        })}
      </ol>
      {entries.length === 0 && <p class="muted">No entries yet.</p>}
    </div>
  );
}

function CallFields({ call }: { call: Call }) {
  const field = (label: string, value: ComponentChildren, id?: string) => (
    <div>
      <dt>{label}</dt>
      <dd id={id}>{value}</dd>
    </div>
  );
  return (
    <dl class="fields">
      {field('Direction', call.direction)}
      {field('Transport', call.transport)}
      {field('From', call.from)}
      {field('To', call.to)}
      {field('Agent', call.agentId)}
      {field('Campaign', call.campaignId)}
      {field('Provider', [call.provider, call.providerCallSid].filter(Boolean).join(' · '))}
      {field('Requested', <Time value={call.requestedAt ?? call.createdAt} />)}
      {field('Started', <Time value={call.startedAt} />)}
      {field('Answered', <Time value={call.answeredAt} />)}
      {field('Ended', <Time value={call.endedAt} />)}
      {field('Duration', duration(call.durationMs))}
      {field('End reason', call.endReason, 'end-reason')}
      {field('Turns', call.turns)}
      {field('Agent utterances', call.agentUtterances)}
      {field('Tool calls', call.toolCalls)}
      {field('Barge-ins', call.bargeIns)}
      {field('DTMF', call.dtmfCount)}
    </dl>
  );
}
