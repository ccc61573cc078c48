import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, done, result, type Attempt, type Result, type Webhook } from '../api/client';
import { rfc3339, text } from '../forms';
import { callHref, ErrorBanner, Time } from '../ui';
import { ALL_EVENTS, appendOlder, EnabledBadge, mergeNewest, SecretPanel, type AttemptList } from '../webhooks';

const REFRESH_MS = 3000;
const PAGE = 50;
const FATAL = new Set([401, 403, 404]);

/**
 * One subscription: its fields, enable/disable, a new secret, delete, its delivery attempts (newest first,
 * refreshed every 3 s, older pages on demand) and a replay of one event or a time range.
 */
export function WebhookPage({ id }: { id: string }) {
  const [webhook, setWebhook] = useState<Webhook | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [list, setList] = useState<AttemptList | null>(null);
  const [attemptsError, setAttemptsError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);

  // The subscription (the dispatcher may disable it meanwhile) and the newest attempts, every 3 s.
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let loaded = false;
    const refresh = async () => {
      if (!document.hidden || !loaded) {
        const [sub, page] = await Promise.all([
          result(api.GET('/v1/webhooks/{id}', { params: { path: { id } }, signal: abort.signal })),
          result(
            api.GET('/v1/webhooks/{id}/attempts', { params: { path: { id }, query: { limit: PAGE } }, signal: abort.signal }),
          ),
        ]);
        if (abort.signal.aborted) return;
        if (sub.ok) {
          setWebhook(sub.data);
          setLoadError(null);
        } else setLoadError(sub.message);
        if (page.ok) {
          const newest = { attempts: page.data.data ?? [], nextCursor: page.data.nextCursor };
          setList((current) => (current === null ? newest : mergeNewest(current, newest)));
          setAttemptsError(null);
          loaded = true;
        } else setAttemptsError(page.message);
        if ((!sub.ok && FATAL.has(sub.status)) || (!page.ok && FATAL.has(page.status))) return;
      }
      timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [id]);

  async function more() {
    const cursor = list?.nextCursor;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const page = await result(
      api.GET('/v1/webhooks/{id}/attempts', { params: { path: { id }, query: { cursor, limit: PAGE } } }),
    );
    setLoadingMore(false);
    if (page.ok) {
      const older = { attempts: page.data.data ?? [], nextCursor: page.data.nextCursor };
      setList((current) => appendOlder(current ?? { attempts: [], nextCursor: undefined }, older));
    } else setAttemptsError(page.message);
  }

  /** Runs one action on the subscription: its answer, or null after its problem went to the error banner. */
  async function act<T>(run: () => Promise<Result<T>>): Promise<{ data: T } | null> {
    if (busy) return null;
    setBusy(true);
    setError(null);
    const answer = await run();
    setBusy(false);
    if (!answer.ok) {
      setError(answer.message);
      return null;
    }
    return answer;
  }

  // PUT replaces the subscription: the URL and event types as they are, `enabled` flipped.
  const toggle = async (w: Webhook) => {
    const body = { url: w.url ?? '', eventTypes: w.eventTypes ?? [], enabled: w.enabled === false };
    const updated = await act(() => result(api.PUT('/v1/webhooks/{id}', { params: { path: { id } }, body })));
    if (updated) setWebhook(updated.data);
  };

  const rotate = async () => {
    if (!confirm('Make a new signing secret? The current one keeps signing for 24 hours.')) return;
    const rotated = await act(() => result(api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } } })));
    if (rotated) {
      const { secret: fresh, ...rest } = rotated.data;
      setSecret(fresh ?? null);
      setWebhook(rest);
    }
  };

  const remove = async () => {
    if (!confirm(`Delete the subscription to ${webhook?.url ?? id}? No more events are sent to it.`)) return;
    const deleted = await act(() => done(api.DELETE('/v1/webhooks/{id}', { params: { path: { id } } })));
    if (deleted !== null) location.hash = '#/webhooks';
  };

  return (
    <section class="webhook">
      <p class="crumbs">
        <a href="#/webhooks">← Webhooks</a>
      </p>
      <div class="heading">
        <h1>
          Webhook <code>{id}</code>
        </h1>
        {webhook !== null && <EnabledBadge id="webhook-state" enabled={webhook.enabled} />}
      </div>
      {loadError !== null && <ErrorBanner>{loadError}</ErrorBanner>}
      {webhook?.enabled === false && (
        <p id="webhook-disabled" class="banner warn" role="status">
          This subscription is <strong>disabled</strong>: no events are sent to it. The dispatcher disables an
          endpoint that answers 410 Gone or whose attempts have all failed for 5 days (see the attempts below).
          Enable it to resume; deliveries dead-lettered meanwhile can be replayed.
        </p>
      )}
      {secret !== null && <SecretPanel secret={secret} rotated />}
      {webhook !== null && (
        <>
          <WebhookFields webhook={webhook} />
          <div class="actions">
            <button id="webhook-toggle" type="button" class="secondary" disabled={busy} onClick={() => void toggle(webhook)}>
              {webhook.enabled === false ? 'Enable' : 'Disable'}
            </button>
            <button id="webhook-rotate" type="button" class="secondary" disabled={busy} onClick={() => void rotate()}>
              Rotate secret
            </button>
            <button id="webhook-delete" type="button" class="danger" disabled={busy} onClick={() => void remove()}>
              Delete
            </button>
          </div>
        </>
      )}
      {error !== null && (
        <p id="webhook-error" class="banner error" role="alert">
          {error}
        </p>
      )}

      <ReplayForm id={id} onProblem={setError} />

      <section class="panel" aria-labelledby="h-attempts">
        <h2 id="h-attempts">
          Attempts <span class="muted">newest first, refreshed every 3 s</span>
        </h2>
        {attemptsError !== null && <ErrorBanner>{attemptsError}</ErrorBanner>}
        {list === null ? (
          attemptsError === null && <p class="muted">Loading…</p>
        ) : (
          <AttemptsTable attempts={list.attempts} />
        )}
        {list?.nextCursor && (
          <button id="attempts-more" type="button" class="secondary more" disabled={loadingMore} onClick={() => void more()}>
            {loadingMore ? 'Loading…' : 'More'}
          </button>
        )}
      </section>
    </section>
  );
}

function WebhookFields({ webhook }: { webhook: Webhook }) {
  return (
    <dl class="fields">
      <div class="wide">
        <dt>URL</dt>
        <dd id="webhook-field-url">{webhook.url}</dd>
      </div>
      <div class="wide">
        <dt>Event types</dt>
        <dd id="webhook-field-event-types">
          {(webhook.eventTypes ?? []).map((t) => (
            <Fragment key={t}>
              <span class="chip">{t === ALL_EVENTS ? 'all (*)' : t}</span>{' '}
            </Fragment>
          ))}
        </dd>
      </div>
      <div>
        <dt>Version</dt>
        <dd id="webhook-field-version">{webhook.version}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <Time value={webhook.createdAt} />
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>
          <Time value={webhook.updatedAt} />
        </dd>
      </div>
    </dl>
  );
}

function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  return (
    <div class="table-wrap">
      <table id="attempts" class="grid">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Call</th>
            <th scope="col">Event type</th>
            <th scope="col">Attempt</th>
            <th scope="col">Outcome</th>
            <th scope="col">Status</th>
            <th scope="col">Latency (ms)</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {attempts.length === 0 && (
            <tr class="empty">
              <td colSpan={8}>No attempts yet.</td>
            </tr>
          )}
          {attempts.map((a) => (
            <tr key={a.id} data-attempt-id={a.id}>
              <td class="time">
                <Time value={a.attemptedAt} />
              </td>
              <td class="id">{a.callId && <a href={callHref(a.callId)}>{a.callId}</a>}</td>
              <td class="event-type">{a.eventType}</td>
              <td class="attempt">{a.attempt}</td>
              <td class="outcome">
                <span
                  class={`badge outcome-${(a.outcome ?? '').toLowerCase().replace(/[^a-z_]/g, '')}`}
                  title={a.nextAttemptAt ? `next attempt ${a.nextAttemptAt}` : undefined}
                >
                  {a.outcome}
                </span>
              </td>
              <td class="status-code">{a.statusCode}</td>
              <td class="latency">{a.latencyMs}</td>
              <td class="error" title={a.error}>
                {a.error}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Replays one event (by its id) or the events of a time range [from, to) to this subscription. */
function ReplayForm({ id, onProblem }: { id: string; onProblem: (message: string | null) => void }) {
  const [eventId, setEventId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [accepted, setAccepted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function replay(event: Event) {
    event.preventDefault();
    if (busy) return;
    setAccepted(null);
    onProblem(null);
    const one = text(eventId);
    const start = rfc3339(from);
    const end = rfc3339(to);
    if (start === null || end === null) return onProblem('Replay: a time is not valid.');
    if (one !== undefined && (start !== undefined || end !== undefined)) {
      return onProblem('Replay: give an event id or a time range, not both.');
    }
    if (one === undefined && (start === undefined || end === undefined)) {
      return onProblem('Replay: give an event id, or both ends of a time range.');
    }
    setBusy(true);
    const body = one !== undefined ? { eventId: one } : { from: start, to: end };
    const answer = await result(api.POST('/v1/webhooks/{id}/replay', { params: { path: { id } }, body }));
    setBusy(false);
    if (answer.ok) setAccepted(answer.data.replayId ?? '');
    else onProblem(answer.message);
  }

  return (
    <section class="panel" aria-labelledby="h-replay">
      <h2 id="h-replay">Replay</h2>
      <p class="muted">
        Send events again, with their original <code>webhook-id</code>: one event, or every event of a time range
        (from inclusive, to exclusive; at most 31 days) that this subscription takes.
      </p>
      <form id="replay-form" class="replay" onSubmit={replay}>
        <div class="field">
          <label for="replay-event-id">Event id</label>
          <input
            id="replay-event-id"
            name="eventId"
            spellcheck={false}
            value={eventId}
            onInput={(e) => setEventId(e.currentTarget.value)}
          />
        </div>
        <span class="or">or</span>
        <div class="field">
          <label for="replay-from">From</label>
          <input
            id="replay-from"
            name="from"
            type="datetime-local"
            step="1"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="replay-to">To</label>
          <input
            id="replay-to"
            name="to"
            type="datetime-local"
            step="1"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </div>
        <button id="replay" type="submit" disabled={busy}>
          {busy ? 'Replaying…' : 'Replay'}
        </button>
      </form>
      <p class="muted">Times are in this browser's time zone.</p>
      {accepted !== null && (
        <p id="replay-accepted" class="banner ok" role="status">
          Replay {accepted} accepted
        </p>
      )}
    </section>
  );
}
