import { useState } from 'preact/hooks';
import { getJson, projectPath, query } from '../api';
import type { TokenPage, TokenView } from '../api-types';
import { CreateTokenDialog } from '../dialogs/create-token.dialog';
import { RevokeTokenDialog } from '../dialogs/revoke-token.dialog';
import { RotateTokenDialog } from '../dialogs/rotate-token.dialog';
import { may } from '../logic/permissions';
import { href } from '../router';
import type { Session } from '../session';
import { ExpiryBadge, Notice, StatusBadge } from '../parts/status';
import { Time } from '../parts/time';
import { useLoad } from '../parts/use-load';

type Order = 'name' | 'createdAt' | 'lastUsedAt' | 'expiresAt';
type Dialog = { kind: 'create' } | { kind: 'rotate'; token: TokenView } | { kind: 'revoke'; token: TokenView } | null;

const PAGE_SIZE = 20;

/** One project's tokens: filters and sorting the API supports, cursor paging, and the write dialogs. */
export function TokensPage({ session, projectId }: { session: Session; projectId: string }) {
  const [type, setType] = useState('');
  const [status, setStatus] = useState('all');
  const [order, setOrder] = useState<Order>('createdAt');
  const [direction, setDirection] = useState<'ASC' | 'DESC'>('DESC');
  // Cursors of the pages before the current one: "Previous" pops, "Next" pushes.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () => getJson<TokenPage>(`${projectPath(projectId)}/tokens${query({ type, status, order, direction, limit: PAGE_SIZE, cursor })}`),
    [projectId, type, status, order, direction, cursor],
  );
  const canWrite = may(session, 'tokens:write', projectId);
  const firstPage = () => setCursors([undefined]);
  const sortBy = (column: Order) => {
    // A new column starts ascending; the same column again flips the direction.
    if (column === order) setDirection(direction === 'ASC' ? 'DESC' : 'ASC');
    else {
      setOrder(column);
      setDirection('ASC');
    }
    firstPage();
  };
  const sortable = (column: Order, label: string) => (
    <th scope="col" aria-sort={order === column ? (direction === 'ASC' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="link" onClick={() => sortBy(column)}>
        {label} {order === column ? (direction === 'ASC' ? '▲' : '▼') : ''}
      </button>
    </th>
  );

  return (
    <main>
      <div class="title-row">
        <h1>Tokens of {projectId}</h1>
        {canWrite && (
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            New token
          </button>
        )}
      </div>
      <form class="filters row" onSubmit={(e) => e.preventDefault()}>
        <label>
          Type
          <select name="type" value={type} onChange={(e) => (setType(e.currentTarget.value), firstPage())}>
            <option value="">any</option>
            <option value="project">project</option>
            <option value="integration">integration</option>
            <option value="personal">personal</option>
          </select>
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={(e) => (setStatus(e.currentTarget.value), firstPage())}>
            <option value="all">all</option>
            <option value="active">active</option>
            <option value="revoked">revoked</option>
            <option value="expired">expired</option>
          </select>
        </label>
      </form>
      {page.error && <Notice>{page.error}</Notice>}
      {page.data && (
        <div class="table-wrap">
          <table class="tokens">
            <thead>
              <tr>
                {sortable('name', 'Name')}
                <th scope="col">Type</th>
                <th scope="col">Scopes</th>
                {sortable('createdAt', 'Created')}
                {sortable('lastUsedAt', 'Last used')}
                <th scope="col">Uses</th>
                {sortable('expiresAt', 'Expires')}
                <th scope="col">Status</th>
                {canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {page.data.items.length === 0 && (
                <tr>
                  <td colSpan={9}>No tokens match.</td>
                </tr>
              )}
              {page.data.items.map((t) => (
                <tr key={t.id} data-token-id={t.id}>
                  <th scope="row">
                    <a href={href({ page: 'token', projectId, tokenId: t.id })}>{t.name}</a>
                    <div class="hint mono">{t.hint}</div>
                  </th>
                  <td>{t.type}</td>
                  <td class="mono scopes">{t.scopes.join(' ')}</td>
                  <td>
                    <Time at={t.createdAt} />
                  </td>
                  <td>
                    <Time at={t.lastUsedAt} />
                  </td>
                  <td>{t.useCount}</td>
                  <td>
                    <Time at={t.expiresAt} /> <ExpiryBadge expiresAt={t.expiresAt} status={t.status} />
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  {canWrite && (
                    <td>
                      <div class="links">
                        {t.status === 'active' && (
                          <>
                            <button type="button" onClick={() => setDialog({ kind: 'rotate', token: t })} aria-label={`Rotate ${t.name}`}>
                              Rotate
                            </button>
                            <button type="button" class="danger" onClick={() => setDialog({ kind: 'revoke', token: t })} aria-label={`Revoke ${t.name}`}>
                              Revoke
                            </button>
                          </>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="row pager" aria-label="pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!page.data?.nextCursor} onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>
          Next page
        </button>
      </nav>
      {dialog?.kind === 'create' && <CreateTokenDialog projectId={projectId} onClose={() => setDialog(null)} onCreated={page.reload} />}
      {dialog?.kind === 'rotate' && <RotateTokenDialog token={dialog.token} onClose={() => setDialog(null)} onRotated={page.reload} />}
      {dialog?.kind === 'revoke' && <RevokeTokenDialog token={dialog.token} onClose={() => setDialog(null)} onRevoked={page.reload} />}
    </main>
  );
}
