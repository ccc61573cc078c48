import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, result, type Agent, type Provider } from '../api/client';
import { ErrorBanner, Time } from '../ui';

const provider = (p: Provider | undefined) => (p ? [p.provider, p.model].filter(Boolean).join(' / ') : 'offline');

/** The tenant's agents, each with a link to its form and one to talk to it from the browser. */
export function AgentsPage() {
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void result(api.GET('/v1/agents', { signal: abort.signal })).then((answer) => {
      if (abort.signal.aborted) return;
      if (answer.ok) setAgents(answer.data.data ?? []);
      else setError(answer.message);
    });
    return () => abort.abort();
  }, []);

  return (
    <section>
      <div class="heading">
        <h1>Agents</h1>
        <a id="new-agent" class="button" href="#/agents/new">
          New agent
        </a>
      </div>
      {error !== null && <ErrorBanner>{error}</ErrorBanner>}
      {agents === null ? (
        error === null && <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table id="agents" class="grid">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Name</th>
                <th scope="col">
                  <span class="visually-hidden">Talk</span>
                </th>
                <th scope="col">Language</th>
                <th scope="col">Voice</th>
                <th scope="col">ASR</th>
                <th scope="col">LLM</th>
                <th scope="col">TTS</th>
                <th scope="col">Tools</th>
                <th scope="col">Greeting</th>
                <th scope="col">Version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {agents.length === 0 && (
                <tr class="empty">
                  <td colSpan={12}>No agents yet.</td>
                </tr>
              )}
              {agents.map((agent) => {
                const spec = agent.spec;
                return (
                  <tr key={agent.id} data-agent-id={agent.id}>
                    <td class="id">{agent.id}</td>
                    <td class="name">
                      {agent.id ? <a href={`#/agents/${encodeURIComponent(agent.id)}`}>{spec?.name || agent.id}</a> : spec?.name}
                    </td>
                    <td class="actions">
                      {agent.id && (
                        <a class="talk" href={`#/talk/${encodeURIComponent(agent.id)}`} title="Talk to this agent from the browser">
                          Talk
                        </a>
                      )}
                    </td>
                    <td>{spec?.language}</td>
                    <td>{spec?.voice}</td>
                    <td>{provider(spec?.asr)}</td>
                    <td>{provider(spec?.llm)}</td>
                    <td>{provider(spec?.tts)}</td>
                    <td class="tools">
                      {(spec?.tools ?? []).map((t) => (
                        <Fragment key={t.name}>
                          <span class="chip" title={`${t.type}: ${t.description}`}>
                            {t.name}
                          </span>{' '}
                        </Fragment>
                      ))}
                    </td>
                    <td class="greeting" title={spec?.greeting}>
                      {spec?.greeting}
                    </td>
                    <td>{agent.version}</td>
                    <td>
                      <Time value={agent.updatedAt ?? agent.createdAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
