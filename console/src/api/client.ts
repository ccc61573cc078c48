import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { problemField, problemText } from './problem';

export type Call = components['schemas']['Call'];
export type CallAnalysis = components['schemas']['CallAnalysis'];
export type CallTrace = components['schemas']['CallTrace'];
export type TraceSpan = components['schemas']['TraceSpan'];
export type Agent = components['schemas']['Agent'];
export type AgentSpec = components['schemas']['AgentSpec'];
export type Provider = components['schemas']['Provider'];
export type TimelineEntry = components['schemas']['TimelineEntry'];
export type RealtimeSession = components['schemas']['RealtimeSession'];
export type Tool = components['schemas']['Tool'];
export type Webhook = components['schemas']['Webhook'];
export type Attempt = components['schemas']['Attempt'];
export type Campaign = components['schemas']['Campaign'];
export type CampaignSpec = components['schemas']['CampaignSpec'];
export type PhoneNumber = components['schemas']['PhoneNumber'];
export type PlaceCall = components['schemas']['PlaceCall'];
export type AdmissionCounters = components['schemas']['AdmissionCounters'];

/** The API key lives in sessionStorage only (never in a URL or localStorage): it is gone with the tab. */
const STORAGE_KEY = 'sipai.apiKey';

export function apiKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function setApiKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

let notice: string | null = null;

/** Forgets the key; `reason` is shown once on the sign-in page. */
export function signOut(reason?: string): void {
  sessionStorage.removeItem(STORAGE_KEY);
  notice = reason ?? null;
}

/** The message of the last sign out that had one, once. */
export function takeNotice(): string | null {
  const n = notice;
  notice = null;
  return n;
}

export function authHeaders(key: string | null = apiKey()): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

const auth: Middleware = {
  onRequest({ request }) {
    const key = apiKey();
    if (key && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${key}`);
    }
    return request;
  },
  onResponse({ request, response }) {
    // The stored key stopped working (revoked): back to the sign-in page. A key being tried there is not stored.
    const key = apiKey();
    if (response.status === 401 && key && request.headers.get('Authorization') === `Bearer ${key}`) {
      signOut('Your API key was refused; sign in again.');
      location.replace('#/signin');
    }
    return response;
  },
};

/** Typed client of the REST API (same origin, /v1), from the generated OpenAPI types. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** A failed call: the problem's text and, when one field is at fault, its JSON path (`field`, e.g. `tools[0].url`). */
export type Failure = { ok: false; status: number; message: string; field?: string };
export type Result<T> = { ok: true; data: T } | Failure;

/** Runs an openapi-fetch call; a problem body or a network failure becomes `{ok: false, message}`. */
export async function result<T>(
  run: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Result<T>> {
  return settle(run, false);
}

/** As {@link result}, for calls answered without a body (204 No Content, e.g. DELETE). */
export async function done(run: Promise<{ error?: unknown; response: Response }>): Promise<Result<null>> {
  return settle(run, true);
}

async function settle<T>(
  run: Promise<{ data?: T; error?: unknown; response: Response }>,
  noContent: boolean,
): Promise<Result<T>> {
  try {
    const { data, error, response } = await run;
    if (response.ok && noContent) return { ok: true, data: null as T };
    if (response.ok && data !== undefined) return { ok: true, data };
    return { ok: false, status: response.status, message: problemText(error, response.status), field: problemField(error) };
  } catch (e) {
    return { ok: false, status: 0, message: e instanceof Error ? e.message : String(e) };
  }
}
