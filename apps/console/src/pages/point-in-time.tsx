import { useState } from 'preact/hooks';
import { getJson, projectPath, query } from '../api';
import type { AuditPage, TokenPage, TokenView } from '../api-types';
import { compareAsOf, type Change } from '../logic/as-of-diff';
import { exactTime } from '../logic/time-format';
import { href } from '../router';
import { Notice, StatusBadge } from '../parts/status';
import { useLoad } from '../parts/use-load';

// The API pages at 200; an auditor's "which tokens were active" needs the whole list.
async function allTokens(projectId: string, asOf?: string): Promise<TokenView[]> {
  const items: TokenView[] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<TokenPage>(`${projectPath(projectId)}/tokens${query({ status: 'all', limit: 200, cursor, asOf })}`);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < 5000);
  return items;
}

const CHANGE_LABEL: Record<Change, string> = {
  unchanged: 'unchanged',
  'status-changed': 'status changed since',
  changed: 'changed since',
  'created-since': 'created since',
};

/**
 * "Which tokens were active on 1 March?": the project's token list replayed to an instant chosen
 * on a slider over the ledger's span (first event to now) or typed exactly, next to now.
 */
export function PointInTime({ projectId }: { projectId: string }) {
  const span = useLoad(async () => {
    const first = await getJson<AuditPage>(`/v1/audit/events${query({ projectId, limit: 1 })}`);
    return { start: first.items[0] ? Date.parse(first.items[0].recordedAt) : Date.now(), end: Date.now() };
  }, [projectId]);
  const [instant, setInstant] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState('');
  // The answer carries its own instant: while the next one loads, the caption never names an
  // instant the rows below are not from.
  const compared = useLoad(
    async () => (instant ? { at: instant, rows: compareAsOf(await allTokens(projectId, instant), await allTokens(projectId)) } : null),
    [projectId, instant],
  );
  const choose = (iso: string) => {
    setInstant(iso);
    setTyped(iso);
    setTypedError('');
  };
  const start = span.data?.start ?? 0;
  const end = span.data?.end ?? 0;

  return (
    <section aria-labelledby="pit-title" class="card">
      <h2 id="pit-title">Point in time</h2>
      {span.error && <Notice>{span.error}</Notice>}
      {span.data && (
        <div class="stack">
          <label>
            Instant on the ledger’s time span ({exactTime(new Date(start).toISOString())} to now)
            <input
              type="range"
              name="asOfSlider"
              min={start}
              max={end}
              step={1000}
              value={instant ? Date.parse(instant) : end}
              aria-valuetext={instant ?? 'now'}
              onChange={(e) => choose(new Date(Number(e.currentTarget.value)).toISOString())}
            />
          </label>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              const ms = Date.parse(typed);
              if (Number.isNaN(ms)) return setTypedError('write an ISO 8601 instant, e.g. 2026-03-01T00:00:00Z');
              choose(new Date(ms).toISOString());
            }}
          >
            <label class="grow">
              Exact instant (ISO 8601, UTC)
              <input name="asOf" class="mono" value={typed} placeholder="2026-03-01T00:00:00Z" onInput={(e) => setTyped(e.currentTarget.value)} />
            </label>
            <button type="submit">Show tokens at this instant</button>
          </form>
          {typedError && <Notice>{typedError}</Notice>}
        </div>
      )}
      {compared.error && <Notice>{compared.error}</Notice>}
      {compared.data && (
        <div class="table-wrap">
          <table class="as-of" aria-label={`Tokens of ${projectId} at ${compared.data.at} compared with now`}>
            <caption>
              Tokens at <time dateTime={compared.data.at}>{exactTime(compared.data.at)}</time>:{' '}
              {compared.data.rows.filter((r) => r.then?.status === 'active').length} active then
            </caption>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Status then</th>
                <th scope="col">Status now</th>
                <th scope="col">Expires then</th>
                <th scope="col">Difference</th>
              </tr>
            </thead>
            <tbody>
              {compared.data.rows.map((row) => {
                const token = (row.then ?? row.now)!;
                return (
                  <tr key={token.id} data-token-id={token.id} class={`change-${row.change}`}>
                    <th scope="row">
                      <a href={href({ page: 'token', projectId, tokenId: token.id })}>{token.name}</a>
                      <div class="hint mono">{token.id}</div>
                    </th>
                    <td class="then-status">{row.then ? <StatusBadge status={row.then.status} /> : 'did not exist'}</td>
                    <td class="now-status">{row.now ? <StatusBadge status={row.now.status} /> : '—'}</td>
                    <td>{row.then?.expiresAt ? exactTime(row.then.expiresAt) : row.then ? 'never' : '—'}</td>
                    <td>{CHANGE_LABEL[row.change]}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
