import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, done, result, type PhoneNumber, type Result } from '../api/client';
import { nameOf, NamedOptions, useAgents, type Named } from '../directory';
import { aria, Field, fieldAtFault, fieldMessage, focusField, text, type Errors } from '../forms';
import { ErrorBanner, Time } from '../ui';

const PAGE = 100;

type NumberList = { numbers: PhoneNumber[]; nextCursor: string | undefined };
/** The problem of the page (`#number-error`): of a row's action (shown above the table) or of the add form. */
type Problem = { message: string; at: 'list' | 'form' };

/** A row's element ids: `number-14155550100-agent`, `-save`, `-delete` (the number's digits). */
const rowId = (number: string, what: 'agent' | 'save' | 'delete') => `number-${number.replace(/\D/g, '')}-${what}`;

/** The numbers in number order (as the API lists them), without duplicates. */
function sorted(numbers: PhoneNumber[]): PhoneNumber[] {
  const byNumber = new Map(numbers.map((n) => [n.number ?? '', n]));
  return [...byNumber.values()].sort((a, b) => ((a.number ?? '') < (b.number ?? '') ? -1 : a.number === b.number ? 0 : 1));
}

/**
 * The phone-number directory: each E.164 number routes inbound calls (whose webhook URL names no tenant) to an
 * agent of the tenant. Numbers are added, routed to another agent (PUT, the agent only) and removed.
 */
export function NumbersPage() {
  const [list, setList] = useState<NumberList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const agents = useAgents();

  useEffect(() => {
    const abort = new AbortController();
    void result(api.GET('/v1/phone-numbers', { params: { query: { limit: PAGE } }, signal: abort.signal })).then(
      (answer) => {
        if (abort.signal.aborted) return;
        if (answer.ok) setList({ numbers: answer.data.data ?? [], nextCursor: answer.data.nextCursor });
        else setLoadError(answer.message);
      },
    );
    return () => abort.abort();
  }, []);

  async function more() {
    const cursor = list?.nextCursor;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const answer = await result(api.GET('/v1/phone-numbers', { params: { query: { cursor, limit: PAGE } } }));
    setLoadingMore(false);
    if (!answer.ok) return setProblem({ message: answer.message, at: 'list' });
    setList((l) => ({ numbers: sorted([...(l?.numbers ?? []), ...(answer.data.data ?? [])]), nextCursor: answer.data.nextCursor }));
  }

  const put = (n: PhoneNumber) =>
    setList((l) => ({ numbers: sorted([...(l?.numbers ?? []).filter((x) => x.number !== n.number), n]), nextCursor: l?.nextCursor }));

  /** Runs a row's action; its problem goes above the table, prefixed with the number. */
  async function act<T>(number: string, run: () => Promise<Result<T>>): Promise<{ data: T } | null> {
    if (busy !== null) return null;
    setBusy(number);
    setProblem(null);
    setSaved(null);
    const answer = await run();
    setBusy(null);
    if (answer.ok) return answer;
    setProblem({ message: `${number}: ${answer.message}`, at: 'list' });
    return null;
  }

  async function route(number: string, agentId: string) {
    const updated = await act(number, () =>
      result(api.PUT('/v1/phone-numbers/{number}', { params: { path: { number } }, body: { agentId } })),
    );
    if (updated === null) return;
    put(updated.data);
    setSaved(number);
  }

  async function remove(n: PhoneNumber) {
    const number = n.number ?? '';
    const agent = nameOf(agents.items, n.agentId);
    if (!confirm(`Remove ${number} from the directory? Inbound calls to it no longer go to ${agent}.`)) return;
    const deleted = await act(number, () => done(api.DELETE('/v1/phone-numbers/{number}', { params: { path: { number } } })));
    if (deleted !== null) setList((l) => l && { ...l, numbers: l.numbers.filter((x) => x.number !== number) });
  }

  const banner = (at: Problem['at']) =>
    problem?.at === at && (
      <p id="number-error" class="banner error" role="alert">
        {problem.message}
      </p>
    );

  return (
    <section>
      <div class="heading">
        <h1>Phone numbers</h1>
        <span class="muted">inbound calls to a number go to its agent</span>
      </div>
      {loadError !== null && <ErrorBanner>{loadError}</ErrorBanner>}
      {agents.error !== null && <ErrorBanner>Agents: {agents.error}</ErrorBanner>}
      {banner('list')}
      {list === null ? (
        loadError === null && <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table id="numbers" class="grid">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Agent</th>
                <th scope="col">Version</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.numbers.length === 0 && (
                <tr class="empty">
                  <td colSpan={5}>No phone numbers yet.</td>
                </tr>
              )}
              {list.numbers.map((n) => (
                <NumberRow
                  key={n.number}
                  entry={n}
                  agents={agents.items}
                  busy={busy === n.number}
                  disabled={busy !== null}
                  saved={saved === n.number}
                  onRoute={(agentId) => void route(n.number ?? '', agentId)}
                  onRemove={() => void remove(n)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list?.nextCursor && (
        <button id="numbers-more" type="button" class="secondary more" disabled={loadingMore} onClick={() => void more()}>
          {loadingMore ? 'Loading…' : 'More'}
        </button>
      )}
      <AddForm
        agents={agents.items}
        problem={banner('form')}
        onProblem={(message) => setProblem(message === null ? null : { message, at: 'form' })}
        onAdded={put}
      />
    </section>
  );
}

function NumberRow(props: {
  entry: PhoneNumber;
  agents: Named[] | null;
  busy: boolean;
  disabled: boolean;
  saved: boolean;
  onRoute: (agentId: string) => void;
  onRemove: () => void;
}) {
  const { entry, agents } = props;
  const number = entry.number ?? '';
  const [agentId, setAgentId] = useState(entry.agentId ?? '');
  // A save (or a reload) brings the agent the API has.
  useEffect(() => setAgentId(entry.agentId ?? ''), [entry.agentId, entry.version]);
  const changed = agentId !== (entry.agentId ?? '');
  return (
    <tr data-number={number}>
      <td class="number">
        <code>{number}</code>
      </td>
      <td class="agent">
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (changed && agentId !== '') props.onRoute(agentId);
          }}
        >
          <select
            id={rowId(number, 'agent')}
            class="row-agent"
            aria-label={`Agent of ${number}`}
            value={agentId}
            disabled={props.disabled}
            onChange={(e) => setAgentId(e.currentTarget.value)}
          >
            <NamedOptions items={agents} selected={agentId} empty="choose an agent" />
          </select>
          <button
            id={rowId(number, 'save')}
            class="secondary row-save"
            type="submit"
            disabled={props.disabled || !changed || agentId === ''}
            aria-label={`Save the agent of ${number}`}
          >
            {props.busy && changed ? 'Saving…' : 'Save'}
          </button>
          {props.saved && !changed && (
            <span class="row-saved" role="status">
              Saved
            </span>
          )}
        </form>
      </td>
      <td class="version">{entry.version}</td>
      <td class="updated">
        <Time value={entry.updatedAt ?? entry.createdAt} />
      </td>
      <td class="row-actions">
        <button
          id={rowId(number, 'delete')}
          class="danger row-delete"
          type="button"
          disabled={props.disabled}
          aria-label={`Remove ${number}`}
          onClick={props.onRemove}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

const ADD_IDS = { number: 'number-number', agentId: 'number-agent' } as const;
type AddField = keyof typeof ADD_IDS;

function AddForm(props: {
  agents: Named[] | null;
  problem: ComponentChildren;
  onProblem: (message: string | null) => void;
  onAdded: (n: PhoneNumber) => void;
}) {
  const [values, setValues] = useState<Record<AddField, string>>({ number: '', agentId: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const edit = (field: AddField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors(({ [field]: _, ...rest }) => rest);
  };

  async function add(event: Event) {
    event.preventDefault();
    if (busy) return;
    props.onProblem(null);
    const body = { number: text(values.number) ?? '', agentId: values.agentId };
    const missing: Errors = {};
    if (body.number === '') missing.number = 'is required';
    if (body.agentId === '') missing.agentId = 'choose an agent';
    setErrors(missing);
    const first = (Object.keys(ADD_IDS) as AddField[]).find((f) => missing[f]);
    if (first !== undefined) return focusField(ADD_IDS[first]);
    setBusy(true);
    const answer = await result(api.POST('/v1/phone-numbers', { body }));
    setBusy(false);
    if (answer.ok) {
      setValues({ number: '', agentId: values.agentId });
      props.onAdded(answer.data);
      return;
    }
    const at = fieldAtFault(answer, Object.keys(ADD_IDS)) as AddField | undefined;
    if (at === undefined) props.onProblem(answer.message);
    else {
      setErrors({ [at]: fieldMessage(answer) });
      focusField(ADD_IDS[at]);
    }
  }

  const numberHint = '+ then the country code and number, e.g. +14155550100';
  return (
    <section class="panel" aria-labelledby="h-new-number">
      <h2 id="h-new-number">Add a number</h2>
      <form id="number-form" class="form" onSubmit={add}>
        <div class="grid-fields">
          <Field id={ADD_IDS.number} label="Number (E.164)" error={errors.number} hint={numberHint}>
            <input
              id={ADD_IDS.number}
              name="number"
              type="tel"
              required
              autocomplete="off"
              spellcheck={false}
              placeholder="+14155550100"
              value={values.number}
              onInput={(e) => edit('number', e.currentTarget.value)}
              {...aria(ADD_IDS.number, errors.number, numberHint)}
            />
          </Field>
          <Field id={ADD_IDS.agentId} label="Agent" error={errors.agentId}>
            <select
              id={ADD_IDS.agentId}
              name="agentId"
              required
              value={values.agentId}
              onChange={(e) => edit('agentId', e.currentTarget.value)}
              {...aria(ADD_IDS.agentId, errors.agentId)}
            >
              <NamedOptions items={props.agents} selected={values.agentId} empty="choose an agent" />
            </select>
          </Field>
        </div>
        <div class="form-actions">
          <button id="number-add" type="submit" disabled={busy}>
            {busy ? 'Adding…' : 'Add number'}
          </button>
        </div>
        {props.problem}
      </form>
    </section>
  );
}
