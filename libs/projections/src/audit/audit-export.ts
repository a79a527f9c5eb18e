import { eventHash, GENESIS_HASH, nextHead, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { auditEvents } from './audit-events';
import type { AuditFilter } from './audit-filter';

export type ExportFormat = 'ndjson' | 'csv';
export const EXPORT_FORMAT_VERSION = 'token-ledger-audit/1';

/** One exported event: the record as stored, plus the hash the chain gives it. */
export interface ExportedEvent {
  position: number;
  id: string;
  streamId: string;
  revision: number;
  type: string;
  recordedAt: string;
  /** eventHash of this event: the next event of its stream carries it as metadata.prevHash. */
  hash: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** The last line of an export: what a later check compares the file against. */
export interface ExportTrailer {
  format: typeof EXPORT_FORMAT_VERSION;
  /** Events in the file. */
  count: number;
  /** Position of the last exported event (0 when none). */
  lastPosition: number;
  /** nextHead folded over every exported event's hash, in file order, from GENESIS_HASH. */
  head: string;
  /** The store's head position when the export started: nothing later is in the file. */
  storeHead: number;
  /** No filter: every event up to storeHead is in the file, so a missing revision is a break. */
  complete: boolean;
}

export const CSV_COLUMNS = ['position', 'id', 'streamId', 'revision', 'type', 'recordedAt', 'hash', 'data', 'metadata'] as const;
/** CSV has no place for a trailer record, so it is a comment line (`comment: '#'` in most readers). */
export const CSV_TRAILER_PREFIX = '# ';

export const toExportedEvent = (e: RecordedEvent): ExportedEvent => ({
  position: e.position,
  id: e.id,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  recordedAt: e.recordedAt,
  hash: eventHash(e),
  data: e.data,
  metadata: e.metadata,
});

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(e: ExportedEvent): string {
  const fields = [String(e.position), e.id, e.streamId, String(e.revision), e.type, e.recordedAt, e.hash, JSON.stringify(e.data), JSON.stringify(e.metadata)];
  return fields.map(csvField).join(',');
}

const line = (format: ExportFormat, e: ExportedEvent) => (format === 'csv' ? csvLine(e) : JSON.stringify(e));

export function trailerLine(format: ExportFormat, trailer: ExportTrailer): string {
  const json = JSON.stringify({ trailer });
  return format === 'csv' ? CSV_TRAILER_PREFIX + json : json;
}

/**
 * The export as text chunks (one per page of events), ending with the trailer line. Only one
 * page is in memory at a time; the consumer's pace sets the reading pace (the generator waits).
 */
export async function* exportAuditLog(store: EventStore, filter: AuditFilter, format: ExportFormat): AsyncGenerator<string> {
  const storeHead = await store.headPosition();
  if (format === 'csv') yield CSV_COLUMNS.join(',') + '\n';
  let count = 0;
  let head = GENESIS_HASH;
  let lastPosition = 0;
  for await (const page of auditEvents(store, filter, storeHead)) {
    let chunk = '';
    for (const event of page) {
      const exported = toExportedEvent(event);
      chunk += line(format, exported) + '\n';
      head = nextHead(head, exported.hash);
      count++;
      lastPosition = event.position;
    }
    yield chunk;
  }
  const complete = Object.values(filter).every((value) => value === undefined);
  yield trailerLine(format, { format: EXPORT_FORMAT_VERSION, count, lastPosition, head, storeHead, complete }) + '\n';
}
