import { useEffect, useState } from 'preact/hooks';
import { apiKey, signOut } from './api/client';
import { AgentsPage } from './pages/agents';
import { CallPage } from './pages/call';
import { CallsPage } from './pages/calls';
import { SignInPage } from './pages/signin';
import { TalkPage } from './pages/talk';

export type Route =
  | { page: 'signin' }
  | { page: 'calls' }
  | { page: 'call'; id: string }
  | { page: 'agents' }
  | { page: 'talk'; agentId: string };

/** #/signin, #/calls, #/calls/<id>, #/agents, #/talk/<agentId>; null for anything else. */
export function parseRoute(hash: string): Route | null {
  const path = hash.replace(/^#/, '');
  if (path === '/signin') return { page: 'signin' };
  if (path === '/calls') return { page: 'calls' };
  if (path === '/agents') return { page: 'agents' };
  const call = /^\/calls\/([^/]+)$/.exec(path);
  const talk = /^\/talk\/([^/]+)$/.exec(path);
  try {
    if (call) return { page: 'call', id: decodeURIComponent(call[1]!) };
    if (talk) return { page: 'talk', agentId: decodeURIComponent(talk[1]!) };
  } catch {
    return null; // not percent-encoded properly
  }
  return null;
}

export function App() {
  const [hash, setHash] = useState(location.hash);
  const [, setSignedOut] = useState(0);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);

  const route = parseRoute(hash);
  const signedIn = apiKey() !== null;
  // Without a key every page but sign-in goes to sign-in; an unknown address goes to the calls.
  const redirect = !signedIn && route?.page !== 'signin' ? '#/signin' : route === null ? '#/calls' : null;
  useEffect(() => {
    if (redirect) location.replace(redirect);
  }, [redirect]);

  useEffect(() => {
    const titles = { signin: 'Sign in', calls: 'Calls', call: 'Call', agents: 'Agents', talk: 'Talk' };
    document.title = route ? `${titles[route.page]} · sipai console` : 'sipai console';
  }, [route?.page]);

  if (redirect || route === null) return null;
  const active = (page: Route['page']) =>
    route.page === page || (page === 'calls' && route.page === 'call') || (page === 'agents' && route.page === 'talk')
      ? 'page'
      : undefined;
  return (
    <>
      <header class="top">
        <a class="brand" href={signedIn ? '#/calls' : '#/signin'}>
          sipai <span>console</span>
        </a>
        {signedIn && (
          <nav aria-label="Main">
            <a href="#/calls" aria-current={active('calls')}>
              Calls
            </a>
            <a href="#/agents" aria-current={active('agents')}>
              Agents
            </a>
            <a
              id="sign-out"
              href="#/signin"
              onClick={() => {
                signOut();
                setSignedOut((n) => n + 1);
              }}
            >
              Sign out
            </a>
          </nav>
        )}
      </header>
      <main>
        {route.page === 'signin' && <SignInPage />}
        {route.page === 'calls' && <CallsPage />}
        {route.page === 'call' && <CallPage key={route.id} id={route.id} />}
        {route.page === 'agents' && <AgentsPage />}
        {route.page === 'talk' && <TalkPage key={route.agentId} agentId={route.agentId} />}
      </main>
    </>
  );
}
