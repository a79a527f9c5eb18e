import { getJson, query } from '../api';
import type { ChainReport } from '../api-types';
import { Notice } from '../parts/status';
import { useLoad } from '../parts/use-load';

/** The hash-chain verification of the project's streams, with the head to note down. */
export function AuditChain({ projectId }: { projectId: string }) {
  const report = useLoad(() => getJson<ChainReport>(`/v1/audit/verify${query({ projectId })}`), [projectId]);
  return (
    <section aria-labelledby="chain-title" class="card">
      <div class="title-row">
        <h2 id="chain-title">Hash chain</h2>
        <button type="button" onClick={report.reload} disabled={report.loading}>
          Verify again
        </button>
      </div>
      {report.error && <Notice>{report.error}</Notice>}
      {report.data && (
        <div class="chain-result">
          {report.data.ok ? (
            <Notice kind="ok">
              Chain verified: {report.data.events} events in {report.data.streams} streams, none altered.
            </Notice>
          ) : (
            <Notice>Chain BROKEN: {report.data.brokenCount ?? report.data.broken.length} event(s) do not match their hash.</Notice>
          )}
          <dl class="facts">
            <dt>Head</dt>
            <dd class="mono break">{report.data.head ?? '—'}</dd>
            <dt>At position</dt>
            <dd>{report.data.lastPosition ?? '—'}</dd>
          </dl>
          {report.data.broken.length > 0 && (
            <ul>
              {report.data.broken.map((b, i) => (
                <li key={i} class="mono">
                  {JSON.stringify(b)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
