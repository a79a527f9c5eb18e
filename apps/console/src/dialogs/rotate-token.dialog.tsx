import { useState } from 'preact/hooks';
import { sendJson, tokenPath } from '../api';
import type { RotatedToken, TokenView } from '../api-types';
import { GRACE_CHOICES } from '../logic/expiry';
import { exactTime } from '../logic/time-format';
import { Modal } from '../parts/modal';
import { SecretOnce } from '../parts/secret-once';
import { Notice } from '../parts/status';

/** Rotate with a chosen grace period; the new value is shown once, with the old token's new end. */
export function RotateTokenDialog({ token, onClose, onRotated }: { token: TokenView; onClose: () => void; onRotated: () => void }) {
  const [grace, setGrace] = useState('24h');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState<RotatedToken | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      setRotated(await sendJson<RotatedToken>('POST', `${tokenPath(token.projectId, token.id)}/rotate`, { gracePeriod: grace }));
      onRotated();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (rotated) {
    return (
      <Modal title={`“${token.name}” rotated`} onClose={onClose} locked>
        <p>
          New token <span class="mono">{rotated.token.id}</span>. The old one (<span class="mono">{rotated.previous.id}</span>) now ends{' '}
          <strong class="old-end">{rotated.previous.expiresAt ? exactTime(rotated.previous.expiresAt) : 'never'}</strong>.
        </p>
        <SecretOnce value={rotated.value} onConfirmed={onClose} />
      </Modal>
    );
  }
  return (
    <Modal title={`Rotate “${token.name}”`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} class="stack">
        <p>A new token with the same name, type, owner, scopes and expiry replaces it. Until the grace period ends, the old one still works.</p>
        <label>
          Grace period for the old token
          <select name="gracePeriod" value={grace} onChange={(e) => setGrace(e.currentTarget.value)}>
            {GRACE_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        {error && <Notice>{error}</Notice>}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Rotate
          </button>
        </div>
      </form>
    </Modal>
  );
}
