import { useEffect, useState } from 'preact/hooks';
import { api, done, result, type Campaign } from '../api/client';
import { callsHref } from '../call-filters';
import { CampaignFields, campaignValues, useCampaignForm } from '../campaign-form';
import { useAgents } from '../directory';
import { ErrorBanner, Time } from '../ui';

/** One campaign (`#/campaigns/<id>`): read, then replaced (PUT, every field) or deleted; a link to its calls. */
export function CampaignPage({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void result(api.GET('/v1/campaigns/{id}', { params: { path: { id } }, signal: abort.signal })).then((answer) => {
      if (abort.signal.aborted) return;
      if (answer.ok) setCampaign(answer.data);
      else setLoadError(answer.message);
    });
    return () => abort.abort();
  }, [id]);

  return (
    <section class="campaign">
      <p class="crumbs">
        <a href="#/campaigns">← Campaigns</a>
      </p>
      <div class="heading">
        <h1>
          Campaign <code>{id}</code>
        </h1>
        {campaign !== null && (
          <span class="muted">
            version {campaign.version}, updated <Time value={campaign.updatedAt ?? campaign.createdAt} />
          </span>
        )}
        <a id="campaign-calls" class="pill" href={callsHref({ campaignId: id })}>
          Calls of this campaign
        </a>
      </div>
      {campaign === null ? (
        loadError !== null ? <ErrorBanner>{loadError}</ErrorBanner> : <p class="muted">Loading…</p>
      ) : (
        <EditForm id={id} campaign={campaign} onSaved={setCampaign} />
      )}
    </section>
  );
}

function EditForm({ id, campaign, onSaved }: { id: string; campaign: Campaign; onSaved: (c: Campaign) => void }) {
  const agents = useAgents();
  const [saved, setSaved] = useState(false);
  const form = useCampaignForm(campaignValues(campaign), (body) =>
    result(api.PUT('/v1/campaigns/{id}', { params: { path: { id } }, body })),
  );

  async function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    const updated = await form.submit();
    if (updated === null) return;
    form.setValues(campaignValues(updated));
    onSaved(updated);
    setSaved(true);
  }

  async function remove() {
    if (form.busy) return;
    const name = campaign.name || id;
    if (!confirm(`Delete the campaign “${name}”? New calls cannot name it any more. This cannot be undone.`)) return;
    form.setBusy(true);
    form.setError(null);
    setSaved(false);
    const answer = await done(api.DELETE('/v1/campaigns/{id}', { params: { path: { id } } }));
    form.setBusy(false);
    if (answer.ok) location.hash = '#/campaigns';
    else form.setError(answer.message);
  }

  return (
    <form
      id="campaign-form"
      class="form"
      onSubmit={save}
      onInput={() => setSaved(false)}
      onChange={() => setSaved(false)}
    >
      <fieldset class="panel">
        <legend>Campaign</legend>
        <CampaignFields values={form.values} errors={form.errors} agents={agents.items} edit={form.edit} />
        <p class="muted">
          Saving replaces the campaign: with no agent it has none, with no max. concurrency the platform default
          applies.
        </p>
      </fieldset>
      <div class="form-actions">
        <button id="campaign-save" type="submit" disabled={form.busy}>
          {form.busy ? 'Saving…' : 'Save'}
        </button>
        <button id="campaign-delete" type="button" class="danger" disabled={form.busy} onClick={() => void remove()}>
          Delete
        </button>
        {saved && (
          <p id="campaign-saved" class="banner ok" role="status">
            Saved
          </p>
        )}
      </div>
      {form.error !== null && (
        <p id="campaign-error" class="banner error" role="alert">
          {form.error}
        </p>
      )}
    </form>
  );
}
