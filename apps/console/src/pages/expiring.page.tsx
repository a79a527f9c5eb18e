import { getJson, query } from '../api';
import type { Reminder } from '../api-types';
import { exactTime } from '../logic/time-format';
import { href } from '../router';
import { Notice } from '../parts/status';
import { Time } from '../parts/time';
import { useLoad } from '../parts/use-load';

const SECTIONS: Array<{ status: Reminder['status']; title: string; empty: string }> = [
  { status: 'pending', title: 'Due reminders', empty: 'No reminders are due.' },
  { status: 'failed', title: 'Failed deliveries (dead letters)', empty: 'No failed deliveries.' },
  { status: 'sent', title: 'Sent', empty: 'Nothing sent yet.' },
];

/** For ops: what the reminder webhooks will say, have said, and failed to deliver (needs admin). */
export function ExpiringPage({ projectId }: { projectId: string }) {
  const reminders = useLoad(() => getJson<{ items: Reminder[] }>(`/v1/reminders${query({ projectId, limit: 500 })}`), [projectId]);
  return (
    <main>
      <h1>Expiring soon in {projectId}</h1>
      {reminders.error && <Notice>{reminders.error}</Notice>}
      {reminders.data &&
        SECTIONS.map((section) => {
          const rows = reminders.data!.items.filter((r) => r.status === section.status).sort((a, b) => a.due.localeCompare(b.due));
          return (
            <section key={section.status} aria-label={section.title}>
              <h2>{section.title}</h2>
              {rows.length === 0 ? (
                <p class="hint">{section.empty}</p>
              ) : (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Token</th>
                        <th scope="col">Kind</th>
                        <th scope="col">Due</th>
                        <th scope="col">{section.status === 'failed' ? 'Error' : 'Delivered'}</th>
                        <th scope="col">Attempts</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.id}>
                          <th scope="row">
                            <a class="mono" href={href({ page: 'token', projectId, tokenId: r.tokenId })}>
                              {r.tokenId}
                            </a>
                          </th>
                          <td>{r.kind.replace(/_/g, ' ')}</td>
                          <td>
                            <Time at={r.due} />
                          </td>
                          <td>
                            {section.status === 'failed'
                              ? `${r.error ?? ''} (${exactTime(r.failedAt ?? null)})`
                              : r.deliveredAt
                                ? exactTime(r.deliveredAt)
                                : '—'}
                          </td>
                          <td>{r.attempt ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          );
        })}
    </main>
  );
}
