import { useEffect, useState } from 'preact/hooks';
import { apiKey, signOut } from './api/client';
import { AdmissionPage } from './pages/admission';
import { AgentPage } from './pages/agent';
import { AgentsPage } from './pages/agents';
import { CallPage } from './pages/call';
import { CallsPage } from './pages/calls';
import { CampaignPage } from './pages/campaign';
import { CampaignsPage } from './pages/campaigns';
import { NewCallPage } from './pages/new-call';
import { NumbersPage } from './pages/numbers';
import { SignInPage } from './pages/signin';
import { TalkPage } from './pages/talk';
import { WebhookPage } from './pages/webhook';
import { WebhooksPage } from './pages/webhooks';

export type Route =
  | { page: 'signin' }
  | { page: 'calls'; query: string }
  | { page: 'new-call' }
  | { page: 'call'; id: string }
  | { page: 'agents' }
  | { page: 'agent'; id: string | null }
  | { page: 'talk'; agentId: string }
  | { page: 'webhooks' }
  | { page: 'webhook'; id: string }
  | { page: 'campaigns' }
  | { page: 'campaign'; id: string }
  | { page: 'numbers' }
  | { page: 'admission' };

/**
 * #/signin, #/calls[?<filters>], #/calls/new, #/calls/<id>, #/agents, #/agents/new, #/agents/<id>,
 * #/talk/<agentId>, #/webhooks, #/webhooks/<id>, #/campaigns, #/campaigns/<id>, #/numbers, #/admission; null for
 * anything else.
 */
export function parseRoute(hash: string): Route | null {
  const path = hash.replace(/^#/, '');
  if (path === '/signin') return { page: 'signin' };
  const calls = /^\/calls(?:\?(.*))?$/.exec(path);
  if (calls) return { page: 'calls', query: calls[1] ?? '' };
  if (path === '/calls/new') return { page: 'new-call' };
  if (path === '/campaigns') return { page: 'campaigns' };
  if (path === '/numbers') return { page: 'numbers' };
  if (path === '/admission') return { page: 'admission' };
  if (path === '/agents') return { page: 'agents' };
  if (path === '/agents/new') return { page: 'agent', id: null };
  if (path === '/webhooks') return { page: 'webhooks' };
  const call = /^\/calls\/([^/]+)$/.exec(path);
  const agent = /^\/agents\/([^/]+)$/.exec(path);
  const talk = /^\/talk\/([^/]+)$/.exec(path);
  const webhook = /^\/webhooks\/([^/]+)$/.exec(path);
  const campaign = /^\/campaigns\/([^/]+)$/.exec(path);
  try {
    if (call) return { page: 'call', id: decodeURIComponent(call[1]!) };
    if (agent) return { page: 'agent', id: decodeURIComponent(agent[1]!) };
    if (talk) return { page: 'talk', agentId: decodeURIComponent(talk[1]!) };
    if (webhook) return { page: 'webhook', id: decodeURIComponent(webhook[1]!) };
    if (campaign) return { page: 'campaign', id: decodeURIComponent(campaign[1]!) };
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
    const titles = {
      signin: 'Sign in',
      calls: 'Calls',
      'new-call': 'New call',
      call: 'Call',
      agents: 'Agents',
      agent: 'Agent',
      talk: 'Talk',
      webhooks: 'Webhooks',
      webhook: 'Webhook',
      campaigns: 'Campaigns',
      campaign: 'Campaign',
      numbers: 'Numbers',
      admission: 'Admission',
    };
    document.title = route ? `${titles[route.page]} · sipai console` : 'sipai console';
  }, [route?.page]);

  if (redirect || route === null) return null;
  const section: Partial<Record<Route['page'], Route['page']>> = {
    call: 'calls',
    'new-call': 'calls',
    campaign: 'campaigns',
    agent: 'agents',
    talk: 'agents',
    webhook: 'webhooks',
  };
  const active = (page: Route['page']) => (route.page === page || section[route.page] === page ? 'page' : undefined);
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
            <a href="#/campaigns" aria-current={active('campaigns')}>
              Campaigns
            </a>
            <a href="#/numbers" aria-current={active('numbers')}>
              Numbers
            </a>
            <a href="#/webhooks" aria-current={active('webhooks')}>
              Webhooks
            </a>
            <a href="#/admission" aria-current={active('admission')}>
              Admission
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
        {route.page === 'calls' && <CallsPage query={route.query} />}
        {route.page === 'new-call' && <NewCallPage />}
        {route.page === 'call' && <CallPage key={route.id} id={route.id} />}
        {route.page === 'agents' && <AgentsPage />}
        {route.page === 'agent' && <AgentPage key={route.id ?? '#new'} id={route.id} />}
        {route.page === 'talk' && <TalkPage key={route.agentId} agentId={route.agentId} />}
        {route.page === 'webhooks' && <WebhooksPage />}
        {route.page === 'webhook' && <WebhookPage key={route.id} id={route.id} />}
        {route.page === 'campaigns' && <CampaignsPage />}
        {route.page === 'campaign' && <CampaignPage key={route.id} id={route.id} />}
        {route.page === 'numbers' && <NumbersPage />}
        {route.page === 'admission' && <AdmissionPage />}
      </main>
    </>
  );
}
