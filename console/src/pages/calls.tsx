import { useEffect, useState } from 'preact/hooks';
import { api, result, type Agent, type Call } from '../api/client';
import { callHref, ErrorBanner, StatusBadge, Time } from '../ui';

const REFRESH_MS = 2000;

/** The newest 50 calls, refreshed every 2 s while the page is open (rows are keyed by id: no flicker). */
export function CallsPage() {
  const [calls, setCalls] = useState<Call[] | null>(null);
  const [agents, setAgents] = useState<Map<string, Agent>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let loaded = false;
    const refresh = async () => {
      // A hidden tab skips its refreshes (once it has the list).
      if (!document.hidden || !loaded) {
        const answer = await result(api.GET('/v1/calls', { params: { query: { limit: 50 } }, signal: abort.signal }));
        if (abort.signal.aborted) return;
        if (answer.ok) {
          setCalls(answer.data.data ?? []);
          setError(null);
          loaded = true;
        } else {
          setError(answer.message);
          if (answer.status === 401 || answer.status === 403) return;
        }
      }
      timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    // Agent names for the agent column; the ids are shown when this fails.
    void result(api.GET('/v1/agents', { signal: abort.signal })).then((answer) => {
      if (answer.ok && !abort.signal.aborted) {
        setAgents(new Map((answer.data.data ?? []).map((a) => [a.id ?? '', a])));
      }
    });
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, []);

  return (
    <section>
      <div class="heading">
        <h1>Calls</h1>
        <span class="muted">newest 50, refreshed every 2 s</span>
      </div>
      {error !== null && <ErrorBanner>{error}</ErrorBanner>}
      {calls === null ? (
        error === null && <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table id="calls" class="grid">
            <thead>
              <tr>
                <th scope="col">Call</th>
                <th scope="col">Status</th>
                <th scope="col">Direction</th>
                <th scope="col">Transport</th>
                <th scope="col">Agent</th>
                <th scope="col">Created</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">End reason</th>
              </tr>
            </thead>
            <tbody>
              {calls.length === 0 && (
                <tr class="empty">
                  <td colSpan={9}>No calls yet.</td>
                </tr>
              )}
              {calls.map((call) => (
                <tr key={call.id} data-call-id={call.id}>
                  <td class="id">
                    <a href={callHref(call.id ?? '')}>{call.id}</a>
                  </td>
                  <td class="status">
                    <StatusBadge status={call.status} />
                  </td>
                  <td class="direction">{call.direction}</td>
                  <td class="transport">{call.transport}</td>
                  <td class="agent" title={call.agentId}>
                    {(call.agentId && agents.get(call.agentId)?.spec?.name) || call.agentId}
                  </td>
                  <td class="created">
                    <Time value={call.createdAt ?? call.requestedAt} />
                  </td>
                  <td class="started">
                    <Time value={call.startedAt} />
                  </td>
                  <td class="ended">
                    <Time value={call.endedAt} />
                  </td>
                  <td class="end-reason">{call.endReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
