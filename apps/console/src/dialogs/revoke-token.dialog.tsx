import { useState } from 'preact/hooks';
import { query, request, tokenPath } from '../api';
import type { TokenView } from '../api-types';
import { Modal } from '../parts/modal';
import { Notice } from '../parts/status';

/** Revoke after a confirmation that names the token: verification refuses it from then on. */
export function RevokeTokenDialog({ token, onClose, onRevoked }: { token: TokenView; onClose: () => void; onRevoked: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await request('DELETE', tokenPath(token.projectId, token.id) + query({ reason: reason.trim() || undefined }));
      onRevoked();
      onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <Modal title={`Revoke “${token.name}”?`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} class="stack">
        <p>
          Token <span class="mono">{token.id}</span> ({token.hint}) stops working at once, everywhere. This cannot be undone.
        </p>
        <label>
          Reason (kept in the audit log)
          <input name="reason" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        {error && <Notice>{error}</Notice>}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={busy}>
            Revoke {token.name}
          </button>
        </div>
      </form>
    </Modal>
  );
}
