import { useState } from 'preact/hooks';
import { getJson, query } from '../api';
import type { AuditPage } from '../api-types';
import { exactTime, fromLocalInput } from '../logic/time-format';
import { actorOf, eventSummary, eventTime, fieldText } from '../parts/event-summary';
import { download } from '../parts/download';
import { Notice } from '../parts/status';
import { useLoad } from '../parts/use-load';

const EVENT_TYPES = ['TokenCreated', 'TokenUsed', 'TokenRotated', 'TokenRevoked', 'TokenExpired', 'ReminderSent'];

interface Filters {
  tokenId: string;
  type: string;
  actor: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { tokenId: '', type: '', actor: '', from: '', to: '' };

/** The audit event table with the API's filters, paging and the two export formats. */
export function AuditEvents({ projectId }: { projectId: string }) {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [afters, setAfters] = useState<Array<string | undefined>>([undefined]);
  const [exportError, setExportError] = useState('');
  const params = {
    projectId,
    tokenId: filters.tokenId || undefined,
    type: filters.type || undefined,
    actor: filters.actor || undefined,
    from: filters.from ? (fromLocalInput(filters.from) ?? undefined) : undefined,
    to: filters.to ? (fromLocalInput(filters.to) ?? undefined) : undefined,
  };
  const after = afters[afters.length - 1];
  const page = useLoad(() => getJson<AuditPage>(`/v1/audit/events${query({ ...params, after, limit: 50 })}`), [projectId, filters, after]);
  const field = (key: keyof Filters) => ({
    name: key,
    value: draft[key],
    onInput: (e: Event) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement).value }),
  });
  const exportAs = (format: 'ndjson' | 'csv') =>
    download(`/v1/audit/export${query({ ...params, format })}`, `audit-${projectId}.${format}`).then(
      () => setExportError(''),
      (e: Error) => setExportError(e.message),
    );

  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      <form
        class="filters row"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          setAfters([undefined]);
        }}
      >
        <label>
          Token id
          <input {...field('tokenId')} placeholder="tok_…" />
        </label>
        <label>
          Event type
          <select {...field('type')} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}>
            <option value="">any</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <input {...field('actor')} placeholder="token:tok_… or cli" />
        </label>
        <label>
          From (UTC)
          <input type="datetime-local" step={1} {...field('from')} />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" step={1} {...field('to')} />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <div class="row">
        <button type="button" onClick={() => void exportAs('ndjson')}>
          Export ndjson
        </button>
        <button type="button" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
      </div>
      {exportError && <Notice>{exportError}</Notice>}
      {page.error && <Notice>{page.error}</Notice>}
      {page.data && (
        <div class="table-wrap">
          <table class="events">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Token</th>
                <th scope="col">What</th>
                <th scope="col">Actor</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.length === 0 && (
                <tr>
                  <td colSpan={7}>No events match.</td>
                </tr>
              )}
              {page.data.items.map((event) => (
                <tr key={event.position} class={`event ${event.type}`}>
                  <td>{event.position}</td>
                  <td>
                    <time dateTime={eventTime(event)} title={`recorded ${exactTime(event.recordedAt)}`}>
                      {exactTime(eventTime(event))}
                    </time>
                  </td>
                  <td>{event.type}</td>
                  <td class="mono">{fieldText(event.data.tokenId)}</td>
                  <td>{eventSummary(event)}</td>
                  <td class="mono">{actorOf(event)}</td>
                  <td class="mono">{event.metadata?.requestId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="row pager" aria-label="event pages">
        <button type="button" disabled={afters.length === 1} onClick={() => setAfters(afters.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={page.data?.next == null} onClick={() => setAfters([...afters, String(page.data!.next)])}>
          Next page
        </button>
      </nav>
    </section>
  );
}
