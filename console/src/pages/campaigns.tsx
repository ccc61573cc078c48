import { useEffect, useState } from 'preact/hooks';
import { api, result, type Campaign } from '../api/client';
import { CampaignFields, campaignValues, useCampaignForm } from '../campaign-form';
import { agentHref, campaignHref, nameOf, useAgents, type Named } from '../directory';
import { ErrorBanner, Time } from '../ui';

/** The tenant's campaigns (each links to its page) and a form that creates one. */
export function CampaignsPage() {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const agents = useAgents();

  useEffect(() => {
    const abort = new AbortController();
    void result(api.GET('/v1/campaigns', { signal: abort.signal })).then((answer) => {
      if (abort.signal.aborted) return;
      if (answer.ok) setCampaigns(answer.data.data ?? []);
      else setLoadError(answer.message);
    });
    return () => abort.abort();
  }, []);

  const onCreated = (campaign: Campaign) =>
    setCampaigns((list) => [...(list ?? []).filter((c) => c.id !== campaign.id), campaign]);

  return (
    <section>
      <div class="heading">
        <h1>Campaigns</h1>
        <span class="muted">groups of calls with their own agent and concurrency limit</span>
      </div>
      {loadError !== null && <ErrorBanner>{loadError}</ErrorBanner>}
      {campaigns === null ? (
        loadError === null && <p class="muted">Loading…</p>
      ) : (
        <CampaignsTable campaigns={campaigns} agents={agents.items} />
      )}
      <CreateForm agents={agents.items} onCreated={onCreated} />
    </section>
  );
}

function CampaignsTable({ campaigns, agents }: { campaigns: Campaign[]; agents: Named[] | null }) {
  return (
    <div class="table-wrap">
      <table id="campaigns" class="grid">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Agent</th>
            <th scope="col">Max. concurrency</th>
            <th scope="col">Version</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.length === 0 && (
            <tr class="empty">
              <td colSpan={5}>No campaigns yet.</td>
            </tr>
          )}
          {campaigns.map((c) => (
            <tr key={c.id} data-campaign-id={c.id}>
              <td class="name" title={c.id}>
                <a href={campaignHref(c.id ?? '')}>{c.name || c.id}</a>
              </td>
              <td class="agent" title={c.agentId}>
                {c.agentId && <a href={agentHref(c.agentId)}>{nameOf(agents, c.agentId)}</a>}
              </td>
              <td class="max-concurrency">{c.maxConcurrency ?? <span class="muted">default</span>}</td>
              <td class="version">{c.version}</td>
              <td class="created">
                <Time value={c.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateForm({ agents, onCreated }: { agents: Named[] | null; onCreated: (campaign: Campaign) => void }) {
  const form = useCampaignForm(campaignValues(), (body) => result(api.POST('/v1/campaigns', { body })));

  async function create(event: Event) {
    event.preventDefault();
    const created = await form.submit();
    if (created === null) return;
    form.setValues(campaignValues());
    onCreated(created);
  }

  return (
    <section class="panel" aria-labelledby="h-new-campaign">
      <h2 id="h-new-campaign">New campaign</h2>
      <form id="campaign-form" class="form" onSubmit={create}>
        <CampaignFields values={form.values} errors={form.errors} agents={agents} edit={form.edit} />
        <div class="form-actions">
          <button id="campaign-create" type="submit" disabled={form.busy}>
            {form.busy ? 'Creating…' : 'Create campaign'}
          </button>
        </div>
        {form.error !== null && (
          <p id="campaign-error" class="banner error" role="alert">
            {form.error}
          </p>
        )}
      </form>
    </section>
  );
}
