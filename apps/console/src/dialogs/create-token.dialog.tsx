import { useState } from 'preact/hooks';
import { projectPath, sendJson } from '../api';
import type { IssuedToken } from '../api-types';
import { EXPIRY_PRESETS, expiryBody, type ExpiryPreset } from '../logic/expiry';
import { fromLocalInput } from '../logic/time-format';
import { Modal } from '../parts/modal';
import { SecretOnce } from '../parts/secret-once';
import { Notice } from '../parts/status';
import { ScopeChips } from './scope-chips';

function parseMetadata(text: string): Record<string, unknown> | string {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'metadata must be a JSON object';
  } catch {
    return 'metadata is not valid JSON';
  }
}

/** Create a token, then show its value once; `onDone` after the user confirmed they copied it. */
export function CreateTokenDialog({ projectId, onClose, onCreated }: { projectId: string; onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState('project');
  const [scopes, setScopes] = useState<string[]>([]);
  const [preset, setPreset] = useState<ExpiryPreset>('90d');
  const [customAt, setCustomAt] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [metadata, setMetadata] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const meta = parseMetadata(metadata);
    if (typeof meta === 'string') return setError(meta);
    const custom = preset === 'custom' ? fromLocalInput(customAt) : null;
    if (preset === 'custom' && !custom) return setError('choose the custom expiry date and time');
    const body = { name, type, scopes, metadata: meta, ...expiryBody(preset, custom), ...(type === 'personal' ? { ownerId } : {}) };
    setBusy(true);
    setError('');
    try {
      setIssued(await sendJson<IssuedToken>('POST', `${projectPath(projectId)}/tokens`, body));
      onCreated();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (issued) {
    return (
      <Modal title={`Token “${issued.token.name}” created`} onClose={onClose} locked>
        <p>
          Id <span class="mono">{issued.token.id}</span>, shown later as <span class="mono">{issued.token.hint}</span>.
        </p>
        <SecretOnce value={issued.value} onConfirmed={onClose} />
      </Modal>
    );
  }
  return (
    <Modal title={`New token in ${projectId}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} class="stack">
        <label>
          Name
          <input name="name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Type
          <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="project">project</option>
            <option value="integration">integration</option>
            <option value="personal">personal</option>
          </select>
        </label>
        {type === 'personal' && (
          <label>
            Owner (user id)
            <input name="ownerId" required value={ownerId} onInput={(e) => setOwnerId(e.currentTarget.value)} />
          </label>
        )}
        <ScopeChips scopes={scopes} onChange={setScopes} />
        <fieldset>
          <legend>Expires</legend>
          <div class="presets">
            {EXPIRY_PRESETS.map((p) => (
              <label key={p.id} class="check">
                <input type="radio" name="expiry" value={p.id} checked={preset === p.id} onChange={() => setPreset(p.id)} />
                {p.label}
              </label>
            ))}
          </div>
          {preset === 'custom' && (
            <label>
              Expires at (UTC)
              <input type="datetime-local" name="expiresAt" value={customAt} onInput={(e) => setCustomAt(e.currentTarget.value)} />
            </label>
          )}
        </fieldset>
        <label>
          Metadata (JSON object, optional)
          <textarea name="metadata" rows={2} class="mono" value={metadata} onInput={(e) => setMetadata(e.currentTarget.value)} />
        </label>
        {error && <Notice>{error}</Notice>}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Create token
          </button>
        </div>
      </form>
    </Modal>
  );
}
