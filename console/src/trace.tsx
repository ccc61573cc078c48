import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, result, type CallTrace, type TraceSpan } from './api/client';

const READ_EVERY_MS = 3000;
const MAX_IDLE_READS = 20;

/** A span with its depth in the tree (0: the root, or a span whose parent did not arrive). */
export type Row = { span: TraceSpan; depth: number };

/** The spans in tree order: each under its parent, siblings by start. */
export function treeRows(spans: TraceSpan[]): Row[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId !== undefined && byId.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else {
      roots.push(s);
    }
  }
  const rows: Row[] = [];
  const visit = (s: TraceSpan, depth: number) => {
    rows.push({ span: s, depth });
    for (const c of (children.get(s.spanId) ?? []).sort((a, b) => a.offsetMs - b.offsetMs)) visit(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.offsetMs - b.offsetMs)) visit(r, 0);
  return rows;
}

/**
 * The call's trace as a waterfall: one row per span, indented under its parent, its bar placed on the call's time
 * axis. Read until the root span (exported when the call ends) is there, or no new span came for a minute.
 */
export function TracePanel({ id }: { id: string }) {
  const [trace, setTrace] = useState<CallTrace | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let idleReads = 0;
    let seen = 0;
    const read = async () => {
      const answer = await result(api.GET('/v1/calls/{id}/trace', { params: { path: { id } }, signal: abort.signal }));
      if (abort.signal.aborted) return;
      if (answer.ok) {
        setTrace(answer.data);
        setError(null);
        const rooted = answer.data.spans.some((s) => s.name === 'call');
        if (!answer.data.kept || rooted) return;
        // A live call keeps adding spans: read on while they come, and for a minute after the last new one.
        if (answer.data.spans.length > seen) idleReads = 0;
        seen = answer.data.spans.length;
      } else {
        setError(answer.message);
      }
      if (++idleReads < MAX_IDLE_READS) timer = setTimeout(read, READ_EVERY_MS);
    };
    void read();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [id]);

  const rows = useMemo(() => treeRows(trace?.spans ?? []), [trace]);
  const total = Math.max(1, ...rows.map((r) => r.span.offsetMs + r.span.durationMs));

  return (
    <section class="panel" aria-labelledby="h-trace">
      <h2 id="h-trace">
        Trace <code class="muted">{trace?.traceId ?? ''}</code>
      </h2>
      {error !== null && <p class="banner error">{error}</p>}
      {trace !== null && !trace.kept && (
        <p class="muted">This gateway keeps no traces: look the trace id up in your tracing backend.</p>
      )}
      {trace !== null && trace.kept && rows.length === 0 && <p class="muted">No span received yet.</p>}
      <ol id="trace" class="waterfall">
        {rows.map(({ span, depth }) => (
          <li key={span.spanId} data-span={span.name} data-depth={depth} class={span.error ? 'error' : undefined}>
            <span class="span-name" style={{ paddingLeft: `${depth}em` }} title={span.service}>
              {span.name}
            </span>
            <span class="span-track">
              <span
                class="span-bar"
                style={{ left: `${(100 * span.offsetMs) / total}%`, width: `${Math.max(0.3, (100 * span.durationMs) / total)}%` }}
                title={`${span.service}: ${span.durationMs.toFixed(1)} ms`}
              />
            </span>
            <span class="span-ms">{span.durationMs.toFixed(1)} ms</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
