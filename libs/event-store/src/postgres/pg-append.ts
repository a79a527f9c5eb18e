import type { PoolClient } from 'pg';
import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision } from '../event-store.port';
import { isExpected, originalResult } from '../expected-revision';
import { isUniqueViolation } from './pg-errors';
import { readAppendContext } from './pg-read';
import { APPEND_LOCK } from './pg-schema';

/** An append waiting for the next group commit; its events are already serialized. */
export interface PendingAppend {
  streamId: string;
  events: Array<{ id: string; type: string; data: string; metadata: string }>;
  expected: ExpectedRevision;
  /** Written in a transaction of its own: set after its batch met another writer's rows. */
  alone: boolean;
  attempts: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** `retry`: a unique index refused the batch (a concurrent writer); nothing of it was written. */
export type AppendOutcome = { result: AppendResult } | { error: unknown } | { retry: unknown };

/** Called between the inserts and COMMIT, with the transaction open: tests delay commits with it. */
export type BeforeCommit = (client: PoolClient) => Promise<void>;

const LOCK = `SELECT pg_advisory_lock(${APPEND_LOCK})`;
const UNLOCK = `SELECT pg_advisory_unlock(${APPEND_LOCK})`;

const INSERT = `INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at)
  SELECT u.id, u.stream_id, u.revision, u.type, u.data::json, u.metadata::json, $7
    FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
      WITH ORDINALITY AS u(id, stream_id, revision, type, data, metadata, ord)
   ORDER BY u.ord
  RETURNING id, position`;

/**
 * Writes a batch of appends in one transaction (one commit, one fsync for all of them).
 * Revisions are checked against the streams as read at the start, and appends to the same stream
 * within the batch follow each other. A concurrent writer that took a revision or an id first
 * makes the unique indexes refuse the whole insert: the batch is rolled back and every append in
 * it answered `retry` (the caller writes them again, each alone, and then sees the other's rows).
 *
 * The transaction id and all positions are drawn inside APPEND_LOCK, a session lock released
 * before COMMIT: ids and positions rise together (what pg-read.ts relies on), while commits, the
 * slow part, still overlap. The first write of the transaction must be that insert.
 */
export async function writeBatch(client: PoolClient, batch: PendingAppend[], beforeCommit?: BeforeCommit): Promise<AppendOutcome[]> {
  // Read before BEGIN: each statement of a READ COMMITTED transaction takes its own snapshot, so
  // this reads what it would inside it, and a batch that writes nothing opens no transaction.
  const { ends, recorded } = await readAppendContext(
    client,
    [...new Set(batch.map((a) => a.streamId))],
    batch.flatMap((a) => a.events.map((e) => e.id)),
  );
  const outcomes: Array<AppendOutcome | { row: number }> = [];
  const rowOf = new Map<string, number>();
  const rows = { id: [] as string[], stream: [] as string[], revision: [] as number[], type: [] as string[], data: [] as string[], metadata: [] as string[] };

  for (const append of batch) {
    const end = ends.get(append.streamId);
    const actual = end?.revision ?? -1;
    if (append.expected === 'any' || !isExpected(append.expected, actual)) {
      const original = originalResult(
        append.streamId,
        append.expected,
        append.events.map((e) => recorded.get(e.id)),
      );
      if (original) {
        // Recorded by an earlier append of this batch: its position is known after the insert.
        const row = rowOf.get(append.events[append.events.length - 1].id);
        outcomes.push(row === undefined ? { result: original } : { row });
        continue;
      }
    }
    if (!isExpected(append.expected, actual)) {
      outcomes.push({ error: new WrongExpectedRevisionError(append.streamId, append.expected, actual) });
      continue;
    }
    if (append.events.length === 0) {
      outcomes.push({ result: { nextExpectedRevision: actual, position: end?.position ?? 0 } });
      continue;
    }
    append.events.forEach((e, i) => {
      rowOf.set(e.id, rows.id.length);
      rows.id.push(e.id);
      rows.stream.push(append.streamId);
      rows.revision.push(actual + 1 + i);
      rows.type.push(e.type);
      rows.data.push(e.data);
      rows.metadata.push(e.metadata);
      // Later appends in this batch see these events as recorded (a retry racing its original).
      recorded.set(e.id, { streamId: append.streamId, revision: actual + 1 + i, position: Number.NaN });
    });
    ends.set(append.streamId, { streamId: append.streamId, revision: actual + append.events.length, position: Number.NaN });
    outcomes.push({ row: rows.id.length - 1 });
  }

  if (rows.id.length === 0) return outcomes as AppendOutcome[];

  // Statements without parameters share a round trip (the simple protocol runs them in order).
  let positions: Map<string, number>;
  await client.query(`BEGIN; ${LOCK}`);
  try {
    const inserted = await client.query<{ id: string; position: string }>(INSERT, [
      rows.id,
      rows.stream,
      rows.revision,
      rows.type,
      rows.data,
      rows.metadata,
      new Date().toISOString(),
    ]);
    positions = new Map(inserted.rows.map((r) => [r.id, Number(r.position)]));
  } catch (error) {
    // The aborted transaction refuses every statement until it is rolled back.
    await client.query(`ROLLBACK; ${UNLOCK}`);
    if (isUniqueViolation(error)) return batch.map(() => ({ retry: error }));
    throw error;
  }
  if (beforeCommit) {
    await client.query(UNLOCK);
    await beforeCommit(client);
    await client.query('COMMIT');
  } else {
    await client.query(`${UNLOCK}; COMMIT`);
  }

  return outcomes.map((outcome) =>
    'row' in outcome ? { result: { nextExpectedRevision: rows.revision[outcome.row], position: positions.get(rows.id[outcome.row])! } } : outcome,
  );
}
