import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { SipaiVoiceClient, type VoiceEvent } from '@sipai/voice-client';
// The AudioWorklet processors, bundled as files of their own under /assets/ (a CSP with script-src 'self' lets
// audioWorklet.addModule() load them from the page's origin, never from a blob: or data: URL).
import captureWorklet from '@sipai/voice-client/capture-worklet.ts?worker&url';
import playbackWorklet from '@sipai/voice-client/playback-worklet.ts?worker&url';
import { api, result, type Agent } from '../api/client';
import { callFailure, dbfs, meterValue, microphoneError, type ServerError } from '../talk';
import { callHref } from '../ui';

export type TalkState = 'idle' | 'connecting' | 'connected' | 'ended' | 'error';

type Line = { id: number; speaker: 'caller' | 'agent'; text: string; typed?: boolean };

const WORKLETS = { capture: captureWorklet, playback: playbackWorklet };

/**
 * Talk to an agent from the browser: a session from POST /v1/realtime/sessions, the microphone and the agent's
 * voice over the realtime protocol (clients/js), the conversation as it is heard and said. Leaving the page ends
 * the call and releases the microphone.
 */
export function TalkPage({ agentId }: { agentId: string }) {
  const [state, setState] = useState<TalkState>('idle');
  const [callId, setCallId] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [interim, setInterim] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [end, setEnd] = useState<{ code: number; reason: string } | null>(null);
  const [transfer, setTransfer] = useState<string | null>(null);
  const [muted, setMuted] = useState(false);
  const [hangingUp, setHangingUp] = useState(false);
  const [levels, setLevels] = useState({ input: 0, output: 0 });
  const [played, setPlayed] = useState(0);
  const [marks, setMarks] = useState(0);
  const [clears, setClears] = useState(0);
  const [typed, setTyped] = useState('');
  const [agent, setAgent] = useState<Agent | null>(null);
  const client = useRef<SipaiVoiceClient | null>(null);
  const hungUp = useRef(false);
  const lineId = useRef(0);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    void result(api.GET('/v1/agents/{id}', { params: { path: { id: agentId } }, signal: abort.signal })).then(
      (answer) => {
        if (answer.ok && !abort.signal.aborted) setAgent(answer.data);
      },
    );
    return () => abort.abort();
  }, [agentId]);

  // Leaving the page (another page of the console, another site, the tab closed) ends the call.
  useEffect(() => {
    const leave = () => client.current?.close();
    addEventListener('pagehide', leave);
    return () => {
      removeEventListener('pagehide', leave);
      leave();
      client.current = null;
    };
  }, []);

  useLayoutEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, interim]);

  const say = (speaker: Line['speaker'], text: string, isTyped = false) =>
    setLines((current) => [...current, { id: ++lineId.current, speaker, text, typed: isTyped }]);

  async function call() {
    client.current?.close();
    hungUp.current = false;
    let serverError: ServerError | null = null;
    const c: SipaiVoiceClient = new SipaiVoiceClient({
      worklets: WORKLETS,
      onEvent: (event: VoiceEvent) => {
        if (client.current !== c) return;
        switch (event.type) {
          case 'connected':
            setCallId(event.callId);
            setState('connected');
            break;
          case 'transcript':
            if (event.final) {
              setInterim('');
              if (event.text.trim() !== '') say('caller', event.text);
            } else {
              setInterim(event.text);
            }
            break;
          case 'agent':
            say('agent', event.text);
            break;
          case 'clear':
            setClears((n) => n + 1);
            break;
          case 'mark':
            setMarks((n) => n + 1);
            break;
          case 'transfer':
            setTransfer(event.target);
            break;
          case 'error':
            serverError = { code: event.code, message: event.message };
            setError(callFailure(serverError, null, '', false));
            setState('error');
            break;
          case 'ended':
            setInterim('');
            setEnd({ code: event.code, reason: event.reason });
            setState('ended');
            break;
          case 'closed':
            setHangingUp(false);
            if (event.ended) break; // ended says why
            if (serverError !== null) {
              setError(callFailure(serverError, event.code, event.reason, event.connected));
            } else if (hungUp.current) {
              setEnd({ code: event.code, reason: event.connected ? 'hung up' : 'hung up before the call was connected' });
              setState('ended');
              break;
            } else {
              setError(callFailure(null, event.code, event.reason, event.connected));
            }
            setState('error');
            break;
          case 'levels':
            setLevels({ input: event.input, output: event.output });
            break;
          case 'played':
            setPlayed(event.ms);
            break;
        }
      },
    });
    client.current = c;
    setState('connecting');
    setCallId(null);
    setLines([]);
    setInterim('');
    setError(null);
    setEnd(null);
    setTransfer(null);
    setMuted(false);
    setHangingUp(false);
    setPlayed(0);
    setMarks(0);
    setClears(0);
    setLevels({ input: 0, output: 0 });

    // The microphone first (inside the click, which also lets the audio play): a denied microphone costs no call.
    try {
      await c.startMicrophone();
    } catch (e) {
      if (client.current !== c) return;
      c.close();
      setError(microphoneError(e));
      setState('error');
      return;
    }
    if (client.current !== c) return;
    const answer = await result(api.POST('/v1/realtime/sessions', { body: { agentId } }));
    if (client.current !== c) return;
    if (!answer.ok || !answer.data.url) {
      c.close();
      setError(`The call could not be started: ${answer.ok ? 'the session has no URL' : answer.message}`);
      setState('error');
      return;
    }
    const session = answer.data;
    setCallId(session.callId ?? null);
    // Open the single-use URL right away; whatever happens next arrives as events.
    c.connect({ url: session.url!, callId: session.callId, agentId: session.agentId ?? agentId }).catch(() => {});
  }

  function hangUp() {
    const c = client.current;
    if (!c) return;
    hungUp.current = true;
    setHangingUp(true);
    if (c.state === 'idle') {
      // Still asking for the microphone or the session: no socket yet, nothing to tell the server.
      client.current = null;
      c.close();
      setHangingUp(false);
      setEnd({ code: 1000, reason: 'hung up before the call was connected' });
      setState('ended');
      return;
    }
    void c.hangUp();
  }

  function toggleMute() {
    const next = !muted;
    client.current?.mute(next);
    setMuted(next);
  }

  function send(event: Event) {
    event.preventDefault();
    const text = typed.trim();
    if (text === '' || !client.current?.sendText(text)) return;
    say('caller', text, true);
    setTyped('');
  }

  const live = state === 'connecting' || state === 'connected';
  const name = agent?.spec?.name;
  return (
    <section class="talk">
      <p class="crumbs">
        <a href="#/agents">← Agents</a>
      </p>
      <div class="heading">
        <h1>
          Talk to <code id="talk-agent-id">{agentId}</code>
        </h1>
        {name && <span class="muted">{name}</span>}
        <span id="talk-state" class={`badge talk-${state}`}>
          {state}
        </span>
      </div>

      <div class="panel talk-controls">
        <div class="buttons">
          {!live && (
            <button id="call" type="button" onClick={() => void call()}>
              Call
            </button>
          )}
          {state === 'connected' && (
            <button id="mute" type="button" class="secondary" aria-pressed={muted} onClick={toggleMute}>
              {muted ? 'Unmute' : 'Mute'}
            </button>
          )}
          {live && (
            <button id="hang-up" type="button" class="danger" disabled={hangingUp} onClick={hangUp}>
              {hangingUp ? 'Hanging up…' : 'Hang up'}
            </button>
          )}
        </div>
        <dl class="talk-facts">
          <div>
            <dt>Call</dt>
            <dd>
              {callId !== null && (
                // A new tab: leaving this page would end the call. rel=opener keeps the tab's sign-in (sessionStorage).
                <a id="talk-call-id" href={callHref(callId)} target="_blank" rel="opener" title="Its live timeline">
                  {callId}
                </a>
              )}
            </dd>
          </div>
          <div>
            <dt>
              <label for="input-level">Microphone{muted ? ' (muted)' : ''}</label>
            </dt>
            <dd>
              <meter id="input-level" min={0} max={1} low={0.5} high={0.9} value={meterValue(levels.input)} title={dbfs(levels.input)} />
            </dd>
          </div>
          <div>
            <dt>
              <label for="output-level">Agent</label>
            </dt>
            <dd>
              <meter id="output-level" min={0} max={1} low={0.5} high={0.9} value={meterValue(levels.output)} title={dbfs(levels.output)} />
            </dd>
          </div>
          <div>
            <dt>Played</dt>
            <dd>
              <span id="played-ms">{played}</span> ms
            </dd>
          </div>
          <div>
            <dt>Marks / barge-ins</dt>
            <dd>
              <span id="talk-marks">{marks}</span> / <span id="talk-clears">{clears}</span>
            </dd>
          </div>
        </dl>
      </div>

      {error !== null && (
        <p id="talk-error" class="banner error" role="alert">
          {error}
        </p>
      )}
      {end !== null && (
        <p id="talk-ended" class={`banner${end.code === 1000 ? '' : ' warn'}`} role="status">
          Call ended: {end.reason || 'no reason given'} (code {end.code})
        </p>
      )}
      {transfer !== null && (
        <p id="talk-transfer" class="banner" role="status">
          The agent transferred the call to <code>{transfer}</code>.
        </p>
      )}

      <section class="panel" aria-labelledby="h-talk-conversation">
        <h2 id="h-talk-conversation">Conversation</h2>
        <div id="talk-transcript" class="conversation" ref={box} aria-live="polite">
          {lines.map((line) => (
            <div key={line.id} class={`msg ${line.speaker}${line.typed ? ' typed' : ''}`}>
              <p class="text">{line.text}</p>
            </div>
          ))}
        </div>
        {lines.length === 0 && interim === '' && (
          <p class="muted">{state === 'connected' ? 'Say something…' : 'Nothing said yet.'}</p>
        )}
        <p id="interim" class="interim">
          {interim}
        </p>
        {state === 'connected' && (
          <form class="talk-text" onSubmit={send}>
            <input
              id="talk-text"
              type="text"
              placeholder="Or type a message"
              autocomplete="off"
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
            <button type="submit" class="secondary">
              Send
            </button>
          </form>
        )}
      </section>
    </section>
  );
}
