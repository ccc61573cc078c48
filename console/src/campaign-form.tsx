import { useState } from 'preact/hooks';
import type { Campaign, CampaignSpec, Result } from './api/client';
import { NamedOptions, type Named } from './directory';
import { aria, Field, fieldAtFault, fieldMessage, focusField, jsonObject, number, text, type Errors } from './forms';

/** The fields of a campaign (CampaignSpec), as typed; the overrides of its agent's features as JSON. */
export type CampaignValues = {
  name: string;
  agentId: string;
  maxConcurrency: string;
  recording: string;
  voicemail: string;
};
type CampaignField = keyof CampaignValues;
/** Parts of the spec edited as JSON objects: the agent's settings the campaign's calls override. */
const OVERRIDES = ['recording', 'voicemail'] as const;
const OVERRIDE_FIELDS: Record<(typeof OVERRIDES)[number], { label: string; hint: string }> = {
  recording: {
    label: 'Recording (JSON)',
    hint: '{"enabled": false} or {"enabled": true, "channels": "mixed"}; empty: the agent\'s',
  },
  voicemail: { label: 'Voicemail detection (JSON)', hint: '{"detect": true, "action": "hangup"}; empty: the agent\'s' },
};

/** The element ids of the fields, the same in the create form and on a campaign's page. */
export const CAMPAIGN_IDS: Record<CampaignField, string> = {
  name: 'campaign-name',
  agentId: 'campaign-agent',
  maxConcurrency: 'campaign-max-concurrency',
  recording: 'campaign-recording',
  voicemail: 'campaign-voicemail',
};
const FIELDS = Object.keys(CAMPAIGN_IDS) as CampaignField[];

const json = (value: unknown): string => (value === undefined || value === null ? '' : JSON.stringify(value));

export const campaignValues = (c?: Campaign): CampaignValues => ({
  name: c?.name ?? '',
  agentId: c?.agentId ?? '',
  maxConcurrency: c?.maxConcurrency === undefined || c.maxConcurrency === null ? '' : String(c.maxConcurrency),
  recording: json(c?.recording),
  voicemail: json(c?.voicemail),
});

/**
 * The spec the fields describe and the problems found before sending it. An empty agent or max. concurrency is
 * left out: a PUT replaces the whole campaign, so that removes the agent, or falls back to the platform's
 * per-campaign limit (TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY).
 */
export function campaignSpec(v: CampaignValues): { spec: CampaignSpec; errors: Errors } {
  const errors: Errors = {};
  const name = text(v.name);
  if (name === undefined) errors.name = 'is required';
  const maxConcurrency = number(v.maxConcurrency, true);
  if (Number.isNaN(maxConcurrency)) errors.maxConcurrency = 'must be a whole number';
  const spec: CampaignSpec = { name: name ?? '' };
  if (v.agentId !== '') spec.agentId = v.agentId;
  if (maxConcurrency !== undefined && !Number.isNaN(maxConcurrency)) spec.maxConcurrency = maxConcurrency;
  for (const part of OVERRIDES) {
    const typed = jsonObject(v[part]);
    if (typed.error !== undefined) errors[part] = typed.error;
    else if (typed.object !== undefined) spec[part] = typed.object as never;
  }
  return { spec, errors };
}

/**
 * The state of a campaign form: its values, the problems at its fields, the problem of the form
 * (`#campaign-error`) and the submit that sends the spec with `send` (POST or PUT).
 */
export function useCampaignForm(initial: CampaignValues, send: (spec: CampaignSpec) => Promise<Result<Campaign>>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const edit = (field: CampaignField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors(({ [field]: _, ...rest }) => rest);
  };

  /** Sends the form: the campaign the API answered, or null after its problem went to a field or the banner. */
  async function submit(): Promise<Campaign | null> {
    if (busy) return null;
    setError(null);
    const checked = campaignSpec(values);
    setErrors(checked.errors);
    const first = FIELDS.find((f) => checked.errors[f]);
    if (first !== undefined) {
      focusField(CAMPAIGN_IDS[first]);
      return null;
    }
    setBusy(true);
    const answer = await send(checked.spec);
    setBusy(false);
    if (answer.ok) return answer.data;
    const at = fieldAtFault(answer, FIELDS) as CampaignField | undefined;
    if (at === undefined) setError(answer.message);
    else {
      setErrors({ [at]: fieldMessage(answer) });
      focusField(CAMPAIGN_IDS[at]);
    }
    return null;
  }

  return { values, setValues, errors, error, setError, busy, setBusy, edit, submit };
}

/** The name, agent and max. concurrency inputs, and the overrides of the agent's recording and voicemail detection. */
export function CampaignFields(props: {
  values: CampaignValues;
  errors: Errors;
  agents: Named[] | null;
  edit: (field: CampaignField, value: string) => void;
}) {
  const { values, errors, agents, edit } = props;
  const ids = CAMPAIGN_IDS;
  const agentHint = 'the agent of its calls that name none; empty: no agent';
  const maxHint = 'calls of the campaign at once; empty: the platform default';
  return (
    <div class="grid-fields">
      <Field id={ids.name} label="Name" error={errors.name}>
        <input
          id={ids.name}
          name="name"
          required
          maxLength={200}
          value={values.name}
          onInput={(e) => edit('name', e.currentTarget.value)}
          {...aria(ids.name, errors.name)}
        />
      </Field>
      <Field id={ids.agentId} label="Agent" error={errors.agentId} hint={agentHint}>
        <select
          id={ids.agentId}
          name="agentId"
          value={values.agentId}
          onChange={(e) => edit('agentId', e.currentTarget.value)}
          {...aria(ids.agentId, errors.agentId, agentHint)}
        >
          <NamedOptions items={agents} selected={values.agentId} empty="none" />
        </select>
      </Field>
      <Field id={ids.maxConcurrency} label="Max. concurrency" error={errors.maxConcurrency} hint={maxHint}>
        <input
          id={ids.maxConcurrency}
          name="maxConcurrency"
          type="number"
          step="1"
          inputMode="numeric"
          value={values.maxConcurrency}
          onInput={(e) => edit('maxConcurrency', e.currentTarget.value)}
          {...aria(ids.maxConcurrency, errors.maxConcurrency, maxHint)}
        />
      </Field>
      {OVERRIDES.map((part) => (
        <Field
          key={part}
          id={ids[part]}
          label={OVERRIDE_FIELDS[part].label}
          error={errors[part]}
          hint={OVERRIDE_FIELDS[part].hint}
          class="wide"
        >
          <textarea
            id={ids[part]}
            name={part}
            class="code"
            rows={2}
            value={values[part]}
            onInput={(e) => edit(part, e.currentTarget.value)}
            {...aria(ids[part], errors[part], OVERRIDE_FIELDS[part].hint)}
          />
        </Field>
      ))}
    </div>
  );
}
