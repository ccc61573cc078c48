import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  emptyForm,
  fieldId,
  formField,
  newTool,
  PROVIDERS,
  STAGES,
  toForm,
  TOOL_TYPES,
  toSpec,
  type AgentForm,
  type Stage,
  type ToolRow,
} from '../agent-form';
import { api, done, result, type Agent } from '../api/client';
import { aria, Field, FieldError, fieldMessage, focusField, type Errors } from '../forms';
import { ErrorBanner, Time } from '../ui';

const URL_HINT: Record<ToolRow['type'], string> = {
  http: 'https://… (the arguments are POSTed to it)',
  transfer_call: 'tel:+15551234567 or sip:user@host',
  end_call: 'not used by end_call',
  send_dtmf: 'not used by send_dtmf',
};

/** The agent a create answered, handed to the page of its address (so it opens with "Saved", without a read). */
let created: Agent | null = null;

/**
 * One agent's every field, as a form: `#/agents/new` creates one (POST), `#/agents/<id>` reads it and replaces it
 * (PUT, the whole spec: a field left empty falls back to its default) or deletes it.
 */
export function AgentPage({ id }: { id: string | null }) {
  const [agent, setAgent] = useState<Agent | null>(() => {
    const first = created !== null && created.id === id ? created : null;
    created = null;
    return first;
  });
  const [form, setForm] = useState<AgentForm | null>(() =>
    id === null ? emptyForm() : agent?.spec ? toForm(agent.spec) : null,
  );
  const [loadError, setLoadError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(agent !== null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (id === null || form !== null) return;
    const abort = new AbortController();
    void result(api.GET('/v1/agents/{id}', { params: { path: { id } }, signal: abort.signal })).then((answer) => {
      if (abort.signal.aborted) return;
      if (answer.ok) {
        setAgent(answer.data);
        setForm(toForm(answer.data.spec ?? { name: '' }));
      } else setLoadError(answer.message);
    });
    return () => abort.abort();
  }, [id]);

  const checked = useMemo(() => (form ? toSpec(form) : null), [form]);
  const errors: Errors = { ...checked?.errors, ...serverErrors };

  /** Applies a change of the form; the server's problems about the fields changed go. */
  const edit = (paths: string[], change: (f: AgentForm) => AgentForm) => {
    setForm((f) => f && change(f));
    setSaved(false);
    setServerErrors((current) => {
      const rest = { ...current };
      for (const p of paths) delete rest[p];
      return rest;
    });
  };
  const setValue = (path: string, value: string) =>
    edit([path], (f) => ({ ...f, values: { ...f.values, [path]: value } }));
  const setTool = (i: number, patch: Partial<ToolRow>) =>
    edit(
      Object.keys(patch).map((k) => `tools[${i}].${k}`),
      (f) => ({ ...f, tools: f.tools.map((t, j) => (j === i ? { ...t, ...patch } : t)) }),
    );
  // Adding or removing a tool renumbers the tools: their problems from the server no longer fit.
  const setTools = (change: (tools: ToolRow[]) => ToolRow[]) => {
    setServerErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([p]) => !p.startsWith('tools'))),
    );
    edit([], (f) => ({ ...f, tools: change(f.tools) }));
  };

  async function save(event: Event) {
    event.preventDefault();
    if (form === null || checked === null || busy) return;
    setError(null);
    setSaved(false);
    setServerErrors({});
    const first = Object.keys(checked.errors)[0];
    if (first !== undefined) {
      focusField(fieldId(first));
      return;
    }
    setBusy(true);
    const body = checked.spec;
    const answer =
      id === null
        ? await result(api.POST('/v1/agents', { body }))
        : await result(api.PUT('/v1/agents/{id}', { params: { path: { id } }, body }));
    setBusy(false);
    if (!answer.ok) {
      const field = answer.field ? formField(answer.field, form) : null;
      if (field === null) setError(answer.message);
      else {
        setServerErrors({ [field]: fieldMessage(answer) });
        focusField(fieldId(field));
      }
      return;
    }
    if (id === null && answer.data.id) {
      created = answer.data;
      location.hash = `#/agents/${encodeURIComponent(answer.data.id)}`;
      return;
    }
    setAgent(answer.data);
    setForm(toForm(answer.data.spec ?? body));
    setSaved(true);
  }

  async function remove() {
    if (id === null || busy) return;
    const name = agent?.spec?.name ?? id;
    if (!confirm(`Delete the agent “${name}”? New calls cannot use it any more. This cannot be undone.`)) return;
    setBusy(true);
    setError(null);
    const answer = await done(api.DELETE('/v1/agents/{id}', { params: { path: { id } } }));
    setBusy(false);
    if (answer.ok) location.hash = '#/agents';
    else setError(answer.message);
  }

  if (form === null) {
    return (
      <section>
        <Crumbs />
        {loadError !== null ? <ErrorBanner>{loadError}</ErrorBanner> : <p class="muted">Loading…</p>}
      </section>
    );
  }

  const v = form.values;
  const input = (
    path: string,
    label: string,
    opts: { hint?: string; placeholder?: string; required?: boolean; type?: 'number'; step?: string } = {},
  ) => {
    const elementId = fieldId(path);
    const common = {
      id: elementId,
      name: path,
      placeholder: opts.placeholder,
      value: v[path],
      onInput: (e: { currentTarget: HTMLInputElement }) => setValue(path, e.currentTarget.value),
      ...aria(elementId, errors[path], opts.hint),
    };
    return (
      <Field id={elementId} label={label} error={errors[path]} hint={opts.hint}>
        {opts.type === 'number' ? (
          <input
            {...common}
            type="number"
            step={opts.step}
            inputMode={opts.step === 'any' ? 'decimal' : 'numeric'}
          />
        ) : (
          <input {...common} type="text" required={opts.required} />
        )}
      </Field>
    );
  };
  const integer = (path: string, label: string, hint?: string) =>
    input(path, label, { type: 'number', step: '1', hint });
  const textarea = (path: string, label: string, opts: { hint?: string; rows?: number; code?: boolean } = {}) => {
    const elementId = fieldId(path);
    return (
      <Field id={elementId} label={label} error={errors[path]} hint={opts.hint} class="wide">
        <textarea
          id={elementId}
          name={path}
          rows={opts.rows ?? 3}
          class={opts.code ? 'code' : undefined}
          spellcheck={!opts.code}
          value={v[path]}
          onInput={(e) => setValue(path, e.currentTarget.value)}
          {...aria(elementId, errors[path], opts.hint)}
        />
      </Field>
    );
  };

  return (
    <section class="agent">
      <Crumbs />
      <div class="heading">
        <h1>{id === null ? 'New agent' : <>Agent <code>{id}</code></>}</h1>
        {agent !== null && (
          <span class="muted">
            version {agent.version}, updated <Time value={agent.updatedAt ?? agent.createdAt} />
          </span>
        )}
        {id !== null && (
          <a class="talk" href={`#/talk/${encodeURIComponent(id)}`}>
            Talk
          </a>
        )}
      </div>

      <form id="agent-form" class="form" onSubmit={save}>
        <fieldset class="panel">
          <legend>Agent</legend>
          <div class="grid-fields">
            {input('name', 'Name', { required: true })}
            {input('language', 'Language', { placeholder: 'en-US', hint: 'BCP 47 tag; default en-US' })}
            {input('voice', 'Voice', { hint: 'a Deepgram Aura model (aura-…) or a MaryTTS voice' })}
          </div>
          {input('greeting', 'Greeting', { hint: 'said when the call starts' })}
          {textarea('systemPrompt', 'System prompt', { rows: 5, hint: 'for the OpenAI brain' })}
        </fieldset>

        <fieldset class="panel">
          <legend>Providers</legend>
          <p class="muted">Default: the offline provider of each stage.</p>
          {STAGES.map((stage) => (
            <ProviderFields key={stage} stage={stage} values={v} errors={errors} setValue={setValue} />
          ))}
        </fieldset>

        <fieldset id="agent-tools" class="panel">
          <legend>Tools</legend>
          <FieldError id="agent-tools" error={errors.tools} />
          {form.tools.length === 0 && <p class="muted">No tools.</p>}
          {form.tools.map((tool, i) => (
            <ToolFields
              key={tool.key}
              index={i}
              tool={tool}
              errors={errors}
              onChange={(patch) => setTool(i, patch)}
              onRemove={() => setTools((tools) => tools.filter((t) => t.key !== tool.key))}
            />
          ))}
          <button id="agent-add-tool" type="button" class="secondary" onClick={() => setTools((t) => [...t, newTool()])}>
            Add tool
          </button>
        </fieldset>

        <fieldset class="panel">
          <legend>Turn taking and limits</legend>
          <div class="grid-fields">
            <div class="field check">
              <input
                id="agent-barge-in"
                name="bargeIn.enabled"
                type="checkbox"
                checked={form.bargeIn ?? true}
                onChange={(e) => edit(['bargeIn.enabled'], (f) => ({ ...f, bargeIn: e.currentTarget.checked }))}
                {...aria('agent-barge-in', errors['bargeIn.enabled'])}
              />
              <label for="agent-barge-in">
                Barge-in {form.bargeIn === null && <span class="muted">(default: on)</span>}
              </label>
              <FieldError id="agent-barge-in" error={errors['bargeIn.enabled']} />
            </div>
            {integer('bargeIn.minSpeechMs', 'Barge-in min. speech (ms)', 'caller speech that interrupts the agent')}
            {integer('bargeIn.backchannelMs', 'Backchannel window (ms)', 'an "uh-huh" shorter than this does not interrupt')}
            {integer('endpointing.silenceMs', 'Endpointing silence (ms)', 'silence that ends a turn')}
            {integer('endpointing.pauseMs', 'End-of-turn pause (ms)', 'pause that ends a finished sentence')}
            {input('endpointing.vadThresholdDb', 'VAD threshold (dB)', { type: 'number', step: 'any' })}
            {integer('silencePromptMs', 'Silence prompt (ms)', 'silence before the agent prompts')}
            {integer('silenceHangupMs', 'Silence hang-up (ms)', 'silence before the agent hangs up')}
            {integer('maxDurationSec', 'Max. duration (s)', 'the longest a call lasts')}
          </div>
        </fieldset>

        <fieldset class="panel">
          <legend>Script</legend>
          {textarea('script', 'Scripted dialog (JSON)', {
            rows: 12,
            code: true,
            hint: 'for the scripted brain; see docs/agents.md for the format',
          })}
        </fieldset>

        <fieldset class="panel">
          <legend>Recording, analysis, voicemail</legend>
          {textarea('recording', 'Recording (JSON)', {
            rows: 3,
            code: true,
            hint: '{"enabled": true, "channels": "dual" or "mixed"} records each call as the caller heard it',
          })}
          {textarea('analysis', 'Post-call analysis (JSON)', {
            rows: 6,
            code: true,
            hint: '{"summaryPrompt", "structuredData": a JSON Schema object, "successCriteria"}; {} for a summary',
          })}
          {textarea('voicemail', 'Voicemail detection (JSON)', {
            rows: 3,
            code: true,
            hint: '{"detect": true, "action": "hangup" or "leave_message", "message": "..."} on outbound calls',
          })}
        </fieldset>

        <div class="form-actions">
          <button id="agent-save" type="submit" disabled={busy}>
            {busy ? 'Saving…' : id === null ? 'Create agent' : 'Save'}
          </button>
          {id !== null && (
            <button id="agent-delete" type="button" class="danger" disabled={busy} onClick={remove}>
              Delete
            </button>
          )}
          {saved && (
            <p id="agent-saved" class="banner ok" role="status">
              Saved
            </p>
          )}
        </div>
        {error !== null && (
          <p id="agent-error" class="banner error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

function Crumbs() {
  return (
    <p class="crumbs">
      <a href="#/agents">← Agents</a>
    </p>
  );
}

function ProviderFields(props: {
  stage: Stage;
  values: Record<string, string>;
  errors: Errors;
  setValue: (path: string, value: string) => void;
}) {
  const { stage, values, errors, setValue } = props;
  const path = (f: string) => `${stage}.${f}`;
  const ids = { provider: fieldId(path('provider')), model: fieldId(path('model')), options: fieldId(path('options')) };
  const hint = 'one key=value a line';
  return (
    <div class="provider grid-fields" data-stage={stage}>
      <Field id={ids.provider} label={`${stage.toUpperCase()} provider`} error={errors[path('provider')]}>
        <select
          id={ids.provider}
          name={path('provider')}
          value={values[path('provider')]}
          onChange={(e) => setValue(path('provider'), e.currentTarget.value)}
          {...aria(ids.provider, errors[path('provider')])}
        >
          <option value="">default</option>
          {PROVIDERS[stage].map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </Field>
      <Field id={ids.model} label={`${stage.toUpperCase()} model`} error={errors[path('model')]}>
        <input
          id={ids.model}
          name={path('model')}
          value={values[path('model')]}
          onInput={(e) => setValue(path('model'), e.currentTarget.value)}
          {...aria(ids.model, errors[path('model')])}
        />
      </Field>
      <Field id={ids.options} label={`${stage.toUpperCase()} options`} error={errors[path('options')]} hint={hint}>
        <textarea
          id={ids.options}
          name={path('options')}
          rows={2}
          class="code"
          spellcheck={false}
          placeholder="key=value"
          value={values[path('options')]}
          onInput={(e) => setValue(path('options'), e.currentTarget.value)}
          {...aria(ids.options, errors[path('options')], hint)}
        />
      </Field>
    </div>
  );
}

function ToolFields(props: {
  index: number;
  tool: ToolRow;
  errors: Errors;
  onChange: (patch: Partial<ToolRow>) => void;
  onRemove: () => void;
}) {
  const { index, tool, errors, onChange } = props;
  const path = (f: string) => `tools[${index}].${f}`;
  const id = (f: string) => fieldId(path(f));
  const error = (f: string) => errors[path(f)];
  const paramsHint = 'JSON Schema of the arguments, given to an LLM brain';
  return (
    <fieldset class="tool-row" data-tool-index={index}>
      <legend>
        Tool {index + 1}
        {tool.name && <code> {tool.name}</code>}
      </legend>
      <div class="grid-fields">
        <Field id={id('name')} label="Name" error={error('name')}>
          <input
            id={id('name')}
            required
            value={tool.name}
            onInput={(e) => onChange({ name: e.currentTarget.value })}
            {...aria(id('name'), error('name'))}
          />
        </Field>
        <Field id={id('type')} label="Type" error={error('type')}>
          <select
            id={id('type')}
            value={tool.type}
            onChange={(e) => onChange({ type: e.currentTarget.value as ToolRow['type'] })}
            {...aria(id('type'), error('type'))}
          >
            {TOOL_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('url')} label="URL" error={error('url')}>
          <input
            id={id('url')}
            value={tool.url}
            placeholder={URL_HINT[tool.type]}
            onInput={(e) => onChange({ url: e.currentTarget.value })}
            {...aria(id('url'), error('url'))}
          />
        </Field>
        <Field id={id('timeoutMs')} label="Timeout (ms)" error={error('timeoutMs')}>
          <input
            id={id('timeoutMs')}
            type="number"
            step="1"
            inputMode="numeric"
            placeholder="5000"
            value={tool.timeoutMs}
            onInput={(e) => onChange({ timeoutMs: e.currentTarget.value })}
            {...aria(id('timeoutMs'), error('timeoutMs'))}
          />
        </Field>
      </div>
      <Field id={id('description')} label="Description" error={error('description')}>
        <input
          id={id('description')}
          required
          value={tool.description}
          onInput={(e) => onChange({ description: e.currentTarget.value })}
          {...aria(id('description'), error('description'))}
        />
      </Field>
      <Field id={id('parameters')} label="Parameters (JSON)" error={error('parameters')} hint={paramsHint}>
        <textarea
          id={id('parameters')}
          rows={4}
          class="code"
          spellcheck={false}
          placeholder='{"type": "object", "properties": {}}'
          value={tool.parameters}
          onInput={(e) => onChange({ parameters: e.currentTarget.value })}
          {...aria(id('parameters'), error('parameters'), paramsHint)}
        />
      </Field>
      <button
        id={`agent-tool-${index}-remove`}
        type="button"
        class="secondary"
        aria-label={`Remove tool ${index + 1}${tool.name ? ` (${tool.name})` : ''}`}
        onClick={props.onRemove}
      >
        Remove
      </button>
    </fieldset>
  );
}
