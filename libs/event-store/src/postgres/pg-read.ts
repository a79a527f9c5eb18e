import type { ClientBase, Pool } from 'pg';
import type { GlobalPosition, ReadStreamRangeOptions, RecordedEvent, StreamRange, StreamRangeEvent } from '../event-store.port';
import type { RecordedAt } from '../expected-revision';

// data and metadata as text, parsed here: the driver's own json parsing cost about 40% of a rebuild.
const COLUMNS = `position, id, stream_id, revision, type, data::text, metadata::text,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
type Row = [string, string, string, number, string, string, string, string];

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

export async function readSettledPage(db: Queryable, after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]> {
  const limit = Number.isFinite(maxCount) && maxCount >= 0 ? maxCount : null;
  const { rows } = await db.query<Row>({
    text: `SELECT ${COLUMNS} FROM events WHERE position > $1 AND ${SETTLED} ORDER BY position LIMIT $2`,
    values: [after, limit],
    rowMode: 'array',
  });
  return rows.map(toRecorded);
}

const RANGE_COLUMNS = 'position, stream_id, type, data::text, revision';
type RangeRow = [string, string, string, string, number];

/**
 * Run once on each connection that reads stream ranges (a rebuild's). The page query must walk
 * the (stream_id, revision) index, whose order is the page's: a plan that gathers the range and
 * sorts it costs the whole range on every page. Without statistics (a restored database,
 * autovacuum not yet by) the planner guesses ranges far too small and picks that plan: 175 ms a
 * page of 1,000 events where the index takes 3 ms. No other query runs on these connections.
 */
export const RANGE_READER_SETUP = 'SET enable_sort = off';

/** The page query of a stream range: from the cursor, or from the range's first stream. */
export function streamRangeQuery(range: StreamRange, { after, upTo, maxCount }: ReadStreamRangeOptions): { text: string; values: unknown[] } {
  const values: unknown[] = [upTo, maxCount];
  const where = ['position <= $1'];
  // A row comparison, which the index takes as a bound: after the cursor, or from the range's start.
  if (after) where.push(`(stream_id, revision) > ($${values.push(after.streamId)}, $${values.push(after.revision)})`);
  else if (range.from !== null) where.push(`stream_id >= $${values.push(range.from)}`);
  if (range.to !== null) where.push(`stream_id < $${values.push(range.to)}`);
  return { text: `SELECT ${RANGE_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY stream_id, revision LIMIT $2`, values };
}

/**
 * A page of a stream range in (stream_id, revision) order, through the unique index on those two
 * columns: only the range's own events are visited. No settled filter: `upTo` is a settled head,
 * and every event at or below it was committed before that head was read.
 */
export async function readStreamRangePage(db: Queryable, range: StreamRange, options: ReadStreamRangeOptions): Promise<StreamRangeEvent[]> {
  const { text, values } = streamRangeQuery(range, options);
  const { rows } = await db.query<RangeRow>({ text, values, rowMode: 'array' });
  return rows.map(([position, streamId, type, data, revision]) => ({
    position: Number(position),
    streamId,
    type,
    data: JSON.parse(data) as Record<string, unknown>,
    revision,
  }));
}

/** Stream ids sampled for the split: enough for even ranges, few enough to cost a few pages. */
const SAMPLED_EVENTS = 5000;

/**
 * `count` ranges of about as many events, cut at stream ids sampled from the table's pages
 * (TABLESAMPLE SYSTEM reads whole pages at random: milliseconds, where exact cuts would walk
 * half the index) and sorted by the server, so that the cuts follow its order of stream ids.
 * Uneven ranges only make one thread finish later; every stream is still in exactly one.
 */
export async function splitStreamRanges(db: Queryable, count: number, upTo: GlobalPosition): Promise<StreamRange[]> {
  if (count <= 1 || upTo <= 0) return [{ from: null, to: null }];
  const percent = Math.min(100, (100 * SAMPLED_EVENTS) / upTo);
  const { rows } = await db.query<[string]>({
    text: 'SELECT stream_id FROM events TABLESAMPLE SYSTEM ($1) WHERE position <= $2 ORDER BY stream_id',
    values: [percent, upTo],
    rowMode: 'array',
  });
  const cuts: string[] = [];
  for (let part = 1; part < count; part++) {
    const cut = rows[Math.floor((part * rows.length) / count)]?.[0];
    // Equal cuts (few streams, or a small sample) would make empty ranges: one is enough.
    if (cut !== undefined && cut !== cuts.at(-1)) cuts.push(cut);
  }
  return [null, ...cuts].map((from, i) => ({ from, to: cuts[i] ?? null }));
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

/** Where the batch's streams end and where its event ids are recorded, if anywhere: one round trip. */
export async function readAppendContext(
  db: Queryable,
  streamIds: string[],
  ids: string[],
): Promise<{ ends: Map<string, RecordedAt>; recorded: Map<string, RecordedAt> }> {
  const { rows } = await db.query<[kind: 'end' | 'id', key: string, streamId: string, revision: number, position: string]>({
    text: `SELECT 'end', stream_id, stream_id, revision, position FROM (
             SELECT DISTINCT ON (stream_id) stream_id, revision, position FROM events
              WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, revision DESC) AS ends
           UNION ALL
           SELECT 'id', id, stream_id, revision, position FROM events WHERE id = ANY($2::text[])`,
    values: [streamIds, ids],
    rowMode: 'array',
  });
  const ends = new Map<string, RecordedAt>();
  const recorded = new Map<string, RecordedAt>();
  for (const [kind, key, streamId, revision, position] of rows) {
    (kind === 'end' ? ends : recorded).set(key, { streamId, revision, position: Number(position) });
  }
  return { ends, recorded };
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
