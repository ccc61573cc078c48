import { useEffect, useRef, useState } from 'preact/hooks';
import { api, authHeaders, result, type Call } from '../api/client';
import { streamEvents, type StreamState } from '../api/sse';
import {
  applyChange,
  CALL_STATUSES,
  callsHref,
  filtersQuery,
  notOlder,
  parseFilters,
  type CallFilters,
} from '../call-filters';
import { campaignNamed, nameOf, NamedOptions, useAgents, useCampaigns } from '../directory';
import { aria, FieldError, localInput, rfc3339 } from '../forms';
import { callHref, ErrorBanner, StatusBadge, Time } from '../ui';

/** While the live stream is down, the list is read again this often. */
const REFRESH_MS = 2000;
const PAGE = 50;
/** The most rows one refresh reads again (the API's largest page). */
const WINDOW = 200;
/** Answers after which the refresh stops: the key, or the filters, will not get better by asking again. */
const FATAL = new Set([400, 401, 403]);

/** The calls shown (newest first) and the cursor of the next older page (none: all are shown). */
type CallList = { calls: Call[]; nextCursor: string | undefined };

/**
 * A refresh's page, read with `limit` rows, merged into the rows shown: it replaces them (a row shown in a newer
 * version than the read's stays as shown), but when more are shown than it read (older pages added), the older rows
 * after its last one stay.
 */
function freshen(current: CallList | null, read: CallList, limit: number): CallList {
  // A list read that started before a change the live stream already applied would bring its older state back.
  const shownById = new Map(current?.calls.map((c) => [c.id, c]) ?? []);
  const page = {
    ...read,
    calls: read.calls.map((c) => {
      const shown = shownById.get(c.id);
      return shown !== undefined && !notOlder(c, shown) ? shown : c;
    }),
  };
  if (current === null || page.nextCursor === undefined || current.calls.length <= limit) return page;
  const ids = new Set(page.calls.map((c) => c.id));
  const last = current.calls.findIndex((c) => c.id === page.calls[page.calls.length - 1]?.id);
  const older = current.calls.slice(last >= 0 ? last + 1 : page.calls.length).filter((c) => !ids.has(c.id));
  return { calls: [...page.calls, ...older], nextCursor: current.nextCursor };
}

/** An older page added after the rows shown. */
function appendOlder(current: CallList, page: CallList): CallList {
  const ids = new Set(current.calls.map((c) => c.id));
  return { calls: [...current.calls, ...page.calls.filter((c) => !ids.has(c.id))], nextCursor: page.nextCursor };
}

/**
 * The calls, newest first, filtered by the filters of the address (`#/calls?status=ended&agentId=…`, so a filtered
 * view can be bookmarked) and live: the tenant's call changes (GET /v1/calls/events) update, add and remove rows as
 * they happen (rows are keyed by id: no flicker); the list is read again when the stream is ready (after every
 * connection, so nothing is missed between the read and the stream), on a reset, and every 2 s while the stream is
 * down. Older pages on demand; a read takes the rows shown again (up to 200).
 */
export function CallsPage({ query }: { query: string }) {
  const filters = parseFilters(query);
  const key = filtersQuery(filters);
  // The rows shown and the filters they are of (rows of the previous filters stay until the new ones come).
  const [list, setList] = useState<(CallList & { key: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [stream, setStream] = useState<StreamState>('connecting');
  const shown = useRef(list);
  shown.current = list;
  const agents = useAgents();
  const campaigns = useCampaigns();

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let loaded = false;
    let live = false;
    let fatal = false;
    setError(null);
    const load = async () => {
      const current = shown.current?.key === key ? shown.current : null;
      const limit = Math.min(WINDOW, Math.max(PAGE, current?.calls.length ?? 0));
      const answer = await result(
        api.GET('/v1/calls', { params: { query: { ...filters, limit } }, signal: abort.signal }),
      );
      if (abort.signal.aborted) return;
      if (answer.ok) {
        const page = { calls: answer.data.data ?? [], nextCursor: answer.data.nextCursor };
        setList((now) => ({ ...freshen(now?.key === key ? now : null, page, limit), key }));
        setError(null);
        loaded = true;
      } else {
        setError(answer.message);
        // Rows of other filters are not shown under these.
        setList((now) => (now?.key === key ? now : null));
        fatal = FATAL.has(answer.status);
      }
    };
    const poll = async () => {
      // A hidden tab skips its reads (once it has the list).
      if (!document.hidden || !loaded) await load();
      if (!live && !fatal && !abort.signal.aborted) timer = setTimeout(poll, REFRESH_MS);
    };
    void poll();
    void streamEvents({
      url: '/v1/calls/events',
      headers: () => authHeaders(),
      signal: abort.signal,
      endEvent: '', // the stream of a tenant's calls does not end
      onEvent: (event) => {
        if (event.type === 'ready' || event.type === 'reset') {
          void load();
        } else if (event.type === 'call') {
          let call: Call;
          try {
            call = JSON.parse(event.data) as Call;
          } catch {
            return; // not JSON: skipped
          }
          setList((now) => (now?.key === key ? { ...applyChange(now, call, filters), key } : now));
        }
      },
      onState: (state) => {
        setStream(state);
        const wasLive = live;
        live = state === 'live';
        if (live) clearTimeout(timer);
        else if (wasLive && !fatal) void poll();
      },
    });
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [key]);

  async function more() {
    const cursor = list?.key === key ? list.nextCursor : undefined;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const answer = await result(api.GET('/v1/calls', { params: { query: { ...filters, cursor, limit: PAGE } } }));
    setLoadingMore(false);
    if (!answer.ok) return setError(answer.message);
    const page = { calls: answer.data.data ?? [], nextCursor: answer.data.nextCursor };
    setList((now) => (now?.key === key ? { ...appendOlder(now, page), key } : now));
  }

  const filtered = key !== '';
  const stale = list !== null && list.key !== key;
  return (
    <section>
      <div class="heading">
        <h1>Calls</h1>
        <span class="muted">
          newest first,{' '}
          <span id="calls-live">{stream === 'live' ? 'live' : stream === 'failed' ? 'not live' : 'connecting…'}</span>
        </span>
        <a id="new-call" class="button" href="#/calls/new">
          New call
        </a>
      </div>
      <Filters filters={filters} agents={agents.items} campaigns={campaigns.items?.map(campaignNamed) ?? null} />
      {error !== null && <ErrorBanner>{error}</ErrorBanner>}
      {list === null ? (
        error === null && <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap" aria-busy={stale}>
          <table id="calls" class={`grid${stale ? ' stale' : ''}`}>
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
              {list.calls.length === 0 && (
                <tr class="empty">
                  <td colSpan={9}>{filtered ? 'No calls match these filters.' : 'No calls yet.'}</td>
                </tr>
              )}
              {list.calls.map((call) => (
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
                    {nameOf(agents.items, call.agentId)}
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
      {list !== null && !stale && list.nextCursor && (
        <button id="calls-more" type="button" class="secondary more" disabled={loadingMore} onClick={() => void more()}>
          {loadingMore ? 'Loading…' : 'More'}
        </button>
      )}
    </section>
  );
}

/**
 * The filter bar: a select applies at once, a time once it is complete (or with Apply). The filters live in the
 * address, replaced in place (no history entry per change).
 */
function Filters(props: {
  filters: CallFilters;
  agents: { id: string; name: string }[] | null;
  campaigns: { id: string; name: string }[] | null;
}) {
  const { filters, agents, campaigns } = props;
  const [from, setFrom] = useState(localInput(filters.createdFrom));
  const [to, setTo] = useState(localInput(filters.createdTo));
  const [timeError, setTimeError] = useState<{ from?: string; to?: string }>({});
  // An address opened or edited by hand shows its times.
  useEffect(() => setFrom(localInput(filters.createdFrom)), [filters.createdFrom]);
  useEffect(() => setTo(localInput(filters.createdTo)), [filters.createdTo]);

  const go = (next: CallFilters) => {
    const href = callsHref(next);
    if (href !== location.hash) location.replace(href);
  };
  const times = (fromValue: string, toValue: string): Pick<CallFilters, 'createdFrom' | 'createdTo'> | null => {
    const createdFrom = rfc3339(fromValue);
    const createdTo = rfc3339(toValue);
    setTimeError({
      from: createdFrom === null ? 'not a valid time' : undefined,
      to: createdTo === null ? 'not a valid time' : undefined,
    });
    return createdFrom === null || createdTo === null ? null : { createdFrom, createdTo };
  };
  const choose = (name: 'status' | 'agentId' | 'campaignId', value: string) => go({ ...filters, [name]: value });
  const applyTimes = (fromValue: string, toValue: string) => {
    const t = times(fromValue, toValue);
    if (t !== null) go({ ...filters, ...t });
  };

  return (
    <form
      id="call-filters"
      class="filters"
      aria-label="Filter the calls"
      onSubmit={(e) => {
        e.preventDefault();
        applyTimes(from, to);
      }}
    >
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value={filters.status ?? ''} onChange={(e) => choose('status', e.currentTarget.value)}>
          <option value="">any</option>
          {CALL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
            </option>
          ))}
          {filters.status && !(CALL_STATUSES as readonly string[]).includes(filters.status) && (
            <option value={filters.status}>{filters.status}</option>
          )}
        </select>
      </div>
      <div class="field">
        <label for="filter-agent">Agent</label>
        <select id="filter-agent" value={filters.agentId ?? ''} onChange={(e) => choose('agentId', e.currentTarget.value)}>
          <NamedOptions items={agents} selected={filters.agentId ?? ''} empty="any" />
        </select>
      </div>
      <div class="field">
        <label for="filter-campaign">Campaign</label>
        <select
          id="filter-campaign"
          value={filters.campaignId ?? ''}
          onChange={(e) => choose('campaignId', e.currentTarget.value)}
        >
          <NamedOptions items={campaigns} selected={filters.campaignId ?? ''} empty="any" />
        </select>
      </div>
      <div class="field">
        <label for="filter-from">Created from</label>
        <input
          id="filter-from"
          type="datetime-local"
          step="1"
          value={from}
          onInput={(e) => setFrom(e.currentTarget.value)}
          onChange={(e) => applyTimes(e.currentTarget.value, to)}
          {...aria('filter-from', timeError.from)}
        />
        <FieldError id="filter-from" error={timeError.from} />
      </div>
      <div class="field">
        <label for="filter-to">Created to</label>
        <input
          id="filter-to"
          type="datetime-local"
          step="1"
          value={to}
          onInput={(e) => setTo(e.currentTarget.value)}
          onChange={(e) => applyTimes(from, e.currentTarget.value)}
          {...aria('filter-to', timeError.to)}
        />
        <FieldError id="filter-to" error={timeError.to} />
      </div>
      <div class="filter-actions">
        <button id="filter-apply" type="submit" class="secondary">
          Apply
        </button>
        {Object.keys(filters).length > 0 && (
          <a id="filter-clear" href="#/calls">
            Clear filters
          </a>
        )}
      </div>
      <p class="muted filter-note">Times are in this browser's time zone; “from” is inclusive, “to” exclusive.</p>
    </form>
  );
}
