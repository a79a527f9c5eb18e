import { useState } from 'preact/hooks';
import { MAX_SCOPES, RESERVED_SCOPES, SCOPE_PATTERN } from '../logic/permissions';

/** Free-form scopes as removable chips: Enter, comma or space adds what was typed. */
export function ScopeChips({ scopes, onChange }: { scopes: string[]; onChange: (scopes: string[]) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const add = () => {
    const scope = text.trim();
    if (!scope) return;
    if (!SCOPE_PATTERN.test(scope)) return setProblem(`“${scope}” is not a scope: lower case, starting with a letter, then a-z 0-9 : . _ -`);
    if (scopes.length >= MAX_SCOPES) return setProblem(`at most ${MAX_SCOPES} scopes`);
    setProblem('');
    setText('');
    if (!scopes.includes(scope)) onChange([...scopes, scope]);
  };
  return (
    <fieldset class="chips">
      <legend>Scopes</legend>
      <ul aria-label="chosen scopes">
        {scopes.map((scope) => (
          <li key={scope} class="chip">
            <span class="mono">{scope}</span>
            <button type="button" aria-label={`remove scope ${scope}`} onClick={() => onChange(scopes.filter((s) => s !== scope))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div class="row">
        <label class="grow">
          Add a scope
          <input
            name="scope"
            value={text}
            placeholder="e.g. orders:read"
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ',' || e.key === ' ') {
                e.preventDefault();
                add();
              }
            }}
          />
        </label>
        <button type="button" onClick={add}>
          Add scope
        </button>
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <details>
        <summary>Reserved scopes (the ledger’s own API)</summary>
        <dl>
          {Object.entries(RESERVED_SCOPES).map(([scope, meaning]) => (
            <div key={scope}>
              <dt class="mono">{scope}</dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
        <p class="hint">Any other name is your service’s own scope, checked by verification.</p>
      </details>
    </fieldset>
  );
}
