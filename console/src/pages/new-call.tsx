import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, type Failure, type PlaceCall } from '../api/client';
import { problemField, problemText } from '../api/problem';
import { campaignNamed, nameOf, NamedOptions, useAgents, useCampaigns } from '../directory';
import { aria, Field, fieldAtFault, fieldMessage, focusField, parseOptions, text, type Errors } from '../forms';
import { callHref } from '../ui';

const IDS = {
  to: 'call-to',
  from: 'call-from',
  agentId: 'call-agent',
  campaignId: 'call-campaign',
  provider: 'call-provider',
  metadata: 'call-metadata',
} as const;
type CallField = keyof typeof IDS;
const FIELDS = Object.keys(IDS) as CallField[];
const PROVIDERS = ['jambonz', 'twilio'] as const;

/** A refused call: the problem, and the call it names when the call was recorded before it was refused. */
type Refusal = Failure & { callId?: string };

/** Sends POST /v1/calls: the id of the call (202), or the problem (with the call it names, if any). */
async function place(body: PlaceCall): Promise<{ ok: true; id: string } | Refusal> {
  try {
    const { data, error, response } = await api.POST('/v1/calls', { body });
    if (response.ok) {
      const id = data?.id ?? response.headers.get('Location')?.split('/').pop();
      if (id) return { ok: true, id: decodeURIComponent(id) };
    }
    const callId = (error as { callId?: unknown } | undefined)?.callId;
    return {
      ok: false,
      status: response.status,
      message: problemText(error, response.status),
      field: problemField(error),
      callId: typeof callId === 'string' ? callId : undefined,
    };
  } catch (e) {
    return { ok: false, status: 0, message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Places an outbound call (`#/calls/new`): admission, then origination through the provider; on success the
 * call's live page opens. A refusal (422 a field, 429 admission, 502 the provider, 503 no provider configured or
 * admission not answering) shows the API's detail, at the field it names too.
 */
export function NewCallPage() {
  const [values, setValues] = useState<Record<CallField, string>>({
    to: '',
    from: '',
    agentId: '',
    campaignId: '',
    provider: '',
    metadata: '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const agents = useAgents();
  const campaigns = useCampaigns();

  const edit = (field: CallField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors(({ [field]: _, ...rest }) => rest);
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setRefusal(null);
    const found: Errors = {};
    const { options: metadata, error: metadataError } = parseOptions(values.metadata);
    if (metadataError) found.metadata = metadataError;
    const body: PlaceCall = { to: text(values.to) ?? '', from: text(values.from) ?? '' };
    if (body.to === '') found.to = 'is required';
    if (body.from === '') found.from = 'is required';
    if (values.agentId) body.agentId = values.agentId;
    if (values.campaignId) body.campaignId = values.campaignId;
    if (values.provider) body.provider = values.provider as PlaceCall['provider'];
    if (metadata) body.metadata = metadata;
    setErrors(found);
    const first = FIELDS.find((f) => found[f]);
    if (first !== undefined) return focusField(IDS[first]);

    setBusy(true);
    const answer = await place(body);
    setBusy(false);
    if (answer.ok) {
      location.hash = callHref(answer.id);
      return;
    }
    setRefusal(answer);
    const at = fieldAtFault(answer, FIELDS) as CallField | undefined;
    if (at !== undefined) {
      setErrors({ [at]: fieldMessage(answer) });
      focusField(IDS[at]);
    }
  }

  const campaign = campaigns.items?.find((c) => c.id === values.campaignId);
  const noAgent = campaign?.agentId
    ? `the campaign's agent (${nameOf(agents.items, campaign.agentId)})`
    : 'choose an agent';
  const partyHint = 'E.164 (+14155550100) or a sip: URI';
  const metadataHint = 'one key=value a line (at most 20); sent with the call';
  const input = (field: 'to' | 'from', label: string, hint: string) => (
    <Field id={IDS[field]} label={label} error={errors[field]} hint={hint}>
      <input
        id={IDS[field]}
        name={field}
        type="text"
        inputMode="tel"
        autocomplete="off"
        spellcheck={false}
        required
        placeholder="+14155550100"
        value={values[field]}
        onInput={(e) => edit(field, e.currentTarget.value)}
        {...aria(IDS[field], errors[field], hint)}
      />
    </Field>
  );
  const select = (field: 'agentId' | 'campaignId' | 'provider', label: string, options: ComponentChildren, hint?: string) => (
    <Field id={IDS[field]} label={label} error={errors[field]} hint={hint}>
      <select
        id={IDS[field]}
        name={field}
        value={values[field]}
        onChange={(e) => edit(field, e.currentTarget.value)}
        {...aria(IDS[field], errors[field], hint)}
      >
        {options}
      </select>
    </Field>
  );

  return (
    <section class="new-call">
      <p class="crumbs">
        <a href="#/calls">← Calls</a>
      </p>
      <div class="heading">
        <h1>New call</h1>
        <span class="muted">an outbound call: admission, then the provider dials</span>
      </div>
      <form id="call-form" class="form" onSubmit={submit}>
        <fieldset class="panel">
          <legend>Call</legend>
          <div class="grid-fields">
            {input('to', 'To', `who is called: ${partyHint}`)}
            {input('from', 'From', `the caller id: ${partyHint}`)}
          </div>
          <div class="grid-fields">
            {select(
              'agentId',
              'Agent',
              <NamedOptions items={agents.items} selected={values.agentId} empty={noAgent} />,
              'who talks to the callee',
            )}
            {select(
              'campaignId',
              'Campaign',
              <NamedOptions items={campaigns.items?.map(campaignNamed) ?? null} selected={values.campaignId} empty="none" />,
              'optional: its concurrency limit applies',
            )}
            {select(
              'provider',
              'Provider',
              <>
                <option value="">default</option>
                {PROVIDERS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </>,
              'default: the first one configured',
            )}
          </div>
          <Field id={IDS.metadata} label="Metadata" error={errors.metadata} hint={metadataHint}>
            <textarea
              id={IDS.metadata}
              name="metadata"
              rows={3}
              class="code"
              spellcheck={false}
              placeholder="crm=42"
              value={values.metadata}
              onInput={(e) => edit('metadata', e.currentTarget.value)}
              {...aria(IDS.metadata, errors.metadata, metadataHint)}
            />
          </Field>
        </fieldset>
        <div class="form-actions">
          <button id="call-place" type="submit" disabled={busy}>
            {busy ? 'Placing…' : 'Place call'}
          </button>
        </div>
        {refusal !== null && (
          <p id="call-error" class="banner error" role="alert">
            {refusal.message}
            {refusal.callId && (
              <>
                {' '}
                The call: <a href={callHref(refusal.callId)}>{refusal.callId}</a>
              </>
            )}
          </p>
        )}
      </form>
    </section>
  );
}
