import { useState } from 'preact/hooks';
import { api, authHeaders, result, setApiKey, takeNotice } from '../api/client';

export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice] = useState(takeNotice);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const candidate = key.trim();
    if (candidate === '') {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    // The key is checked with a real read before it is kept.
    const answer = await result(
      api.GET('/v1/calls', { params: { query: { limit: 1 } }, headers: authHeaders(candidate) }),
    );
    setBusy(false);
    if (!answer.ok) {
      setError(answer.message);
      return;
    }
    setApiKey(candidate);
    location.hash = '#/calls';
  }

  return (
    <section class="signin">
      <h1>Sign in</h1>
      <p class="muted">Use an API key of your tenant (read scope is enough to look around).</p>
      {notice && <p class="banner">{notice}</p>}
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'error' : undefined}
        />
        <button id="sign-in" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error !== null && (
        <p id="error" class="banner error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
