import { useState } from 'preact/hooks';
import { request } from '../api';
import type { VerifyAnswer } from '../api-types';
import { signIn } from '../session';
import { Notice } from '../parts/status';

/**
 * Sign-in checks the pasted token with the public verify call and keeps what it answers (project,
 * type, scopes) to show only what the token may do. A password field: the value is not echoed.
 */
export function SignInPage() {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const token = value.trim();
    setBusy(true);
    setError('');
    try {
      const answer = (await (await request('POST', '/v1/tokens/verify', { token }, '')).json()) as VerifyAnswer;
      if (!answer.valid) {
        setError(`This token does not work: ${answer.code?.replace(/_/g, ' ') ?? 'invalid'}.`);
        return;
      }
      setValue('');
      signIn({ token, tokenId: answer.tokenId!, projectId: answer.projectId!, type: answer.type!, scopes: answer.scopes ?? [] });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Token Ledger</h1>
      <form onSubmit={(event) => void submit(event)} class="stack card">
        <label>
          Paste a ledger token to sign in
          <input type="password" name="token" autoComplete="off" spellcheck={false} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <p class="hint">
          The root token printed at the first start, or a project token with <span class="mono">tokens:read</span>, <span class="mono">tokens:write</span>,{' '}
          <span class="mono">audit:read</span> or <span class="mono">admin</span>. It stays in this tab only and is forgotten when you sign out or close the
          tab.
        </p>
        {error && <Notice>{error}</Notice>}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
