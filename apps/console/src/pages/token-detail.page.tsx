import { getJson, tokenPath } from '../api';
import type { AuditEvent, TokenView } from '../api-types';
import { exactTime } from '../logic/time-format';
import { usesPerDay } from '../logic/usage-per-day';
import { href } from '../router';
import { actorOf, eventSummary, eventTime, fieldText } from '../parts/event-summary';
import { ExpiryBadge, Notice, StatusBadge } from '../parts/status';
import { Time } from '../parts/time';
import { UsageChart } from '../parts/usage-chart';
import { useLoad } from '../parts/use-load';

/** A token's facts, its history as a timeline (actor, request id, time) and its uses per day. */
export function TokenDetailPage({ projectId, tokenId }: { projectId: string; tokenId: string }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        getJson<TokenView>(tokenPath(projectId, tokenId)),
        getJson<{ items: AuditEvent[]; redacted?: boolean }>(`${tokenPath(projectId, tokenId)}/events`),
      ]),
    [projectId, tokenId],
  );
  if (loaded.error)
    return (
      <main>
        <Notice>{loaded.error}</Notice>
      </main>
    );
  if (!loaded.data) return <main aria-busy="true">Loading…</main>;
  const [token, history] = loaded.data;
  return (
    <main>
      <p>
        <a href={href({ page: 'tokens', projectId })}>← Tokens of {projectId}</a>
      </p>
      <h1>
        {token.name} <StatusBadge status={token.status} />
      </h1>
      <dl class="facts">
        <dt>Id</dt>
        <dd class="mono">{token.id}</dd>
        <dt>Shown as</dt>
        <dd class="mono">{token.hint}</dd>
        <dt>Type</dt>
        <dd>
          {token.type}
          {token.ownerId ? ` (owner ${token.ownerId})` : ''}
        </dd>
        <dt>Scopes</dt>
        <dd class="mono">{token.scopes.join(' ') || '—'}</dd>
        <dt>Created</dt>
        <dd>{exactTime(token.createdAt)}</dd>
        <dt>Expires</dt>
        <dd>
          {token.expiresAt ? exactTime(token.expiresAt) : 'never'} <ExpiryBadge expiresAt={token.expiresAt} status={token.status} />
        </dd>
        <dt>Last used</dt>
        <dd>
          <Time at={token.lastUsedAt} /> ({token.useCount} uses)
        </dd>
        {token.revokedAt && (
          <>
            <dt>Revoked</dt>
            <dd>
              {exactTime(token.revokedAt)}
              {token.revokeReason ? `: ${token.revokeReason}` : ''}
            </dd>
          </>
        )}
        {token.rotatedFrom && (
          <>
            <dt>Replaces</dt>
            <dd>
              <a class="mono" href={href({ page: 'token', projectId, tokenId: token.rotatedFrom })}>
                {token.rotatedFrom}
              </a>
            </dd>
          </>
        )}
        {token.rotatedTo && (
          <>
            <dt>Replaced by</dt>
            <dd>
              <a class="mono" href={href({ page: 'token', projectId, tokenId: token.rotatedTo })}>
                {token.rotatedTo}
              </a>
            </dd>
          </>
        )}
      </dl>
      <h2>Usage</h2>
      <UsageChart days={usesPerDay(history.items, new Date())} />
      <h2>History</h2>
      {history.redacted && <Notice kind="info">Client addresses and user agents are left out: they need audit:read.</Notice>}
      <ol class="timeline">
        {history.items.map((event) => (
          <li key={event.position} class={`event ${event.type}`}>
            <div class="event-head">
              <strong>{event.type}</strong>{' '}
              <time dateTime={eventTime(event)} title={`recorded ${exactTime(event.recordedAt)}`}>
                {exactTime(eventTime(event))}
              </time>
            </div>
            <div>{eventSummary(event)}</div>
            <div class="hint">
              by <span class="mono">{actorOf(event)}</span>, request <span class="mono">{fieldText(event.metadata?.requestId) || '—'}</span>
            </div>
          </li>
        ))}
      </ol>
    </main>
  );
}
