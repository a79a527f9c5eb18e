import type { ClientBase, Pool, QueryArrayConfig } from 'pg';
import type { GlobalPosition, PartitionEvent, RecordedEvent, StreamPartition } from '../event-store.port';
import type { RecordedAt } from '../expected-revision';

// data and metadata as text, parsed here: the driver's own json parsing costs about 40% of a rebuild.
const COLUMNS = `position, id, stream_id, revision, type, data::text, metadata::text,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
type Row = [string, string, string, number, string, string, string, string];
const PARTITION_COLUMNS = 'position, stream_id, type, data::text';
type PartitionRow = [string, string, string, string];

/**
 * Only events of transactions that ended before every transaction still running. Appends draw
 * their transaction id and their positions under one lock (pg-append.ts), so transaction ids
 * and positions rise together: whatever commits later has a larger id than this bound, hence a
 * larger position than anything read now. Reading "after N" therefore never passes over an event
 * that is still to commit. The cost: the feed waits for the oldest running write transaction of
 * the server (of any database on it).
 */
// A sub-select: evaluated once per query (an InitPlan), not once per row scanned.
const SETTLED = 'tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))';

type Queryable = Pool | ClientBase;

/**
 * The rule of StreamPartition: the code of the stream id's last character, modulo the count. Put
 * as "none of the other parts": the planner guesses that an equality on an expression keeps 0.5 %
 * of the rows, and then sorts every later event for each page instead of walking the position
 * index (a rebuild three times slower); an inequality it guesses keeps nearly all.
 */
const IN_PARTITION = 'ascii(right(stream_id, 1)) % $3 <> ALL ($4::int[])';
const otherParts = ({ count, index }: StreamPartition): number[] => Array.from({ length: count }, (_, i) => i).filter((i) => i !== index);

export async function readSettledPage(db: Queryable, after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]> {
  const { rows } = await db.query<Row>(settledPageQuery(COLUMNS, after, maxCount));
  return rows.map(toRecorded);
}

/** A page of one partition's settled events, with only what a fold reads of each (what a rebuild folds). */
export async function readSettledPartitionPage(db: Queryable, after: GlobalPosition, maxCount: number, partition: StreamPartition): Promise<PartitionEvent[]> {
  const { rows } = await db.query<PartitionRow>(settledPageQuery(PARTITION_COLUMNS, after, maxCount, partition));
  return rows.map(toPartitionEvent);
}

function settledPageQuery(columns: string, after: GlobalPosition, maxCount: number, partition?: StreamPartition): QueryArrayConfig {
  const limit = Number.isFinite(maxCount) && maxCount >= 0 ? maxCount : null;
  return {
    text: `SELECT ${columns} FROM events WHERE position > $1 AND ${SETTLED} ${partition ? `AND ${IN_PARTITION}` : ''} ORDER BY position LIMIT $2`,
    values: partition ? [after, limit, partition.count, otherParts(partition)] : [after, limit],
    rowMode: 'array',
  };
}

export async function readSettledHead(db: Queryable): Promise<GlobalPosition> {
  const { rows } = await db.query<[string]>({
    text: `SELECT position FROM events WHERE ${SETTLED} ORDER BY position DESC LIMIT 1`,
    rowMode: 'array',
  });
  return rows.length === 0 ? 0 : Number(rows[0][0]);
}

export async function readStreamEvents(db: Queryable, streamId: string): Promise<RecordedEvent[]> {
  const { rows } = await db.query<Row>({
    text: `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY revision`,
    values: [streamId],
    rowMode: 'array',
  });
  return rows.map(toRecorded);
}

/** The last revision and position of each stream that exists. */
export async function readStreamEnds(db: Queryable, streamIds: string[]): Promise<Map<string, RecordedAt>> {
  const { rows } = await db.query<{ stream_id: string; revision: number; position: string }>(
    `SELECT DISTINCT ON (stream_id) stream_id, revision, position FROM events
      WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, revision DESC`,
    [streamIds],
  );
  return new Map(rows.map((r) => [r.stream_id, { streamId: r.stream_id, revision: r.revision, position: Number(r.position) }]));
}

/** Where each of these event ids is recorded, if anywhere. */
export async function readRecordedIds(db: Queryable, ids: string[]): Promise<Map<string, RecordedAt>> {
  const { rows } = await db.query<{ id: string; stream_id: string; revision: number; position: string }>(
    'SELECT id, stream_id, revision, position FROM events WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { streamId: r.stream_id, revision: r.revision, position: Number(r.position) }]));
}

function toRecorded([position, id, streamId, revision, type, data, metadata, recordedAt]: Row): RecordedEvent {
  // bigint comes back as text; positions stay far below 2^53.
  return {
    id,
    streamId,
    revision,
    position: Number(position),
    type,
    data: JSON.parse(data) as Record<string, unknown>,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
    recordedAt,
  };
}

function toPartitionEvent([position, streamId, type, data]: PartitionRow): PartitionEvent {
  return { position: Number(position), streamId, type, data: JSON.parse(data) as Record<string, unknown> };
}
