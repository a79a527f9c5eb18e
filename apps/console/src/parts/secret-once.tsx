import { useState } from 'preact/hooks';

/**
 * The token value, shown once: a read-only field, a copy button and the warning. The parent keeps
 * its dialog locked until `onConfirmed`; after that the value is dropped from every state.
 */
export function SecretOnce({ value, onConfirmed }: { value: string; onConfirmed: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const [confirmed, setConfirmed] = useState(false);
  const copy = async (event: Event) => {
    const field = (event.currentTarget as HTMLElement).parentElement!.querySelector('input')!;
    field.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div class="secret">
      <p class="warning" role="alert">
        Copy this token now. <strong>You won’t see it again</strong>: the ledger keeps only its hash.
      </p>
      <div class="row">
        <label class="grow">
          Token value
          <input class="mono secret-value" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <button type="button" onClick={(event) => void copy(event)}>
          Copy
        </button>
      </div>
      <p role="status" class="hint">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The browser refused the clipboard: select the field and copy it.' : ''}
      </p>
      <label class="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />I have copied the token and stored it safely
      </label>
      <div class="actions">
        <button type="button" class="primary" disabled={!confirmed} onClick={onConfirmed}>
          Done
        </button>
      </div>
    </div>
  );
}
