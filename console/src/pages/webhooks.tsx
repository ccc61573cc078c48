import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, result, type Webhook } from '../api/client';
import { aria, Field, FieldError, fieldMessage, focusField, text, type Errors } from '../forms';
import { ErrorBanner, Time } from '../ui';
import { ALL_EVENTS, EnabledBadge, EVENT_TYPES, eventTypeId, SecretPanel, webhookHref } from '../webhooks';

/** The field a problem of a create names, as this form has it: the URL or the event types. */
const formField = (field: string | undefined) =>
  field === 'url' ? 'url' : field?.startsWith('eventTypes') ? 'eventTypes' : null;
const FIELD_IDS: Record<string, string> = { url: 'webhook-url', eventTypes: 'webhook-event-types' };

/** The tenant's webhook subscriptions, and a form that creates one (its secret is shown once). */
export function WebhooksPage() {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [created, setCreated] = useState<Webhook | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void result(api.GET('/v1/webhooks', { signal: abort.signal })).then((answer) => {
      if (abort.signal.aborted) return;
      if (answer.ok) setWebhooks(answer.data.data ?? []);
      else setLoadError(answer.message);
    });
    return () => abort.abort();
  }, []);

  const onCreated = (webhook: Webhook) => {
    setCreated(webhook);
    const { secret: _, ...shown } = webhook;
    setWebhooks((list) => [...(list ?? []).filter((w) => w.id !== webhook.id), shown]);
  };

  return (
    <section>
      <div class="heading">
        <h1>Webhooks</h1>
        <span class="muted">signed HTTP POSTs of the call events you subscribe to</span>
      </div>
      {loadError !== null && <ErrorBanner>{loadError}</ErrorBanner>}
      {created?.secret && (
        <SecretPanel secret={created.secret}>
          <p>
            The subscription: <a href={webhookHref(created.id ?? '')}>{created.id}</a>
          </p>
        </SecretPanel>
      )}
      {webhooks === null ? (
        loadError === null && <p class="muted">Loading…</p>
      ) : (
        <WebhooksTable webhooks={webhooks} />
      )}
      <CreateForm onCreated={onCreated} />
    </section>
  );
}

function WebhooksTable({ webhooks }: { webhooks: Webhook[] }) {
  return (
    <div class="table-wrap">
      <table id="webhooks" class="grid">
        <thead>
          <tr>
            <th scope="col">Webhook</th>
            <th scope="col">URL</th>
            <th scope="col">Event types</th>
            <th scope="col">State</th>
            <th scope="col">Version</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {webhooks.length === 0 && (
            <tr class="empty">
              <td colSpan={6}>No subscriptions yet.</td>
            </tr>
          )}
          {webhooks.map((w) => (
            <tr key={w.id} data-webhook-id={w.id} class={w.enabled === false ? 'is-disabled' : undefined}>
              <td class="id">
                <a href={webhookHref(w.id ?? '')}>{w.id}</a>
              </td>
              <td class="url" title={w.url}>
                {w.url}
              </td>
              <td class="event-types">
                {(w.eventTypes ?? []).map((t) => (
                  <Fragment key={t}>
                    <span class="chip">{t === ALL_EVENTS ? 'all (*)' : t}</span>{' '}
                  </Fragment>
                ))}
              </td>
              <td class="state">
                <EnabledBadge enabled={w.enabled} />
              </td>
              <td class="version">{w.version}</td>
              <td class="created">
                <Time value={w.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated: (webhook: Webhook) => void }) {
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const all = types.has(ALL_EVENTS);

  const toggle = (type: string, on: boolean) => {
    setTypes((current) => {
      const next = new Set(current);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });
    setErrors(({ eventTypes: _, ...rest }) => rest);
  };

  async function create(event: Event) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const eventTypes = all ? [ALL_EVENTS] : EVENT_TYPES.filter((t) => types.has(t));
    if (eventTypes.length === 0) {
      setErrors({ eventTypes: 'choose at least one event type' });
      focusField(eventTypeId(ALL_EVENTS));
      return;
    }
    setErrors({});
    setBusy(true);
    const answer = await result(api.POST('/v1/webhooks', { body: { url: text(url) ?? '', eventTypes } }));
    setBusy(false);
    if (!answer.ok) {
      const field = formField(answer.field);
      if (field === null) setError(answer.message);
      else {
        setErrors({ [field]: fieldMessage(answer) });
        focusField(field === 'url' ? FIELD_IDS.url! : eventTypeId(ALL_EVENTS));
      }
      return;
    }
    setUrl('');
    setTypes(new Set());
    onCreated(answer.data);
  }

  return (
    <section class="panel" aria-labelledby="h-new-webhook">
      <h2 id="h-new-webhook">New subscription</h2>
      <form id="webhook-form" class="form" onSubmit={create}>
        <Field
          id="webhook-url"
          label="URL"
          error={errors.url}
          hint="https (plain http only for localhost); internal addresses are refused"
        >
          <input
            id="webhook-url"
            name="url"
            type="url"
            required
            placeholder="https://example.com/hooks"
            value={url}
            onInput={(e) => {
              setUrl(e.currentTarget.value);
              setErrors(({ url: _, ...rest }) => rest);
            }}
            {...aria('webhook-url', errors.url, true)}
          />
        </Field>
        <fieldset id="webhook-event-types" class="event-types" {...aria('webhook-event-types', errors.eventTypes)}>
          <legend>Event types</legend>
          <label class="check all">
            <input
              id={eventTypeId(ALL_EVENTS)}
              type="checkbox"
              name="eventTypes"
              value={ALL_EVENTS}
              checked={all}
              onChange={(e) => toggle(ALL_EVENTS, e.currentTarget.checked)}
            />
            All events (<code>*</code>)
          </label>
          <div class="checks">
            {EVENT_TYPES.map((type) => (
              <label key={type} class="check">
                <input
                  id={eventTypeId(type)}
                  type="checkbox"
                  name="eventTypes"
                  value={type}
                  checked={all || types.has(type)}
                  disabled={all}
                  onChange={(e) => toggle(type, e.currentTarget.checked)}
                />
                <code>{type}</code>
              </label>
            ))}
          </div>
          <FieldError id="webhook-event-types" error={errors.eventTypes} />
        </fieldset>
        <div class="form-actions">
          <button id="webhook-create" type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create subscription'}
          </button>
        </div>
        {error !== null && (
          <p id="webhook-error" class="banner error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
