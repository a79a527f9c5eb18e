import type { PoolClient } from 'pg';

/** Advisory lock keys (per database): one for migrations, one around the appends' inserts. */
export const MIGRATION_LOCK = 7_462_113_001;
export const APPEND_LOCK = 7_462_113_002;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, one step per version, never edited once released: a database remembers which
 * versions it has (ledger_schema_migrations) and only the missing ones run.
 *
 * tx_id is the appending transaction's id (xid8). Readers of the global stream only take events
 * of transactions older than every transaction still running (see pg-read.ts), which is what
 * keeps an event that commits late from being skipped. The trigger keeps the table append-only
 * for every client, not only for this service.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    sql: `
      CREATE TABLE events (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        id text NOT NULL UNIQUE,
        stream_id text NOT NULL,
        revision integer NOT NULL CHECK (revision >= 0),
        type text NOT NULL,
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (stream_id, revision)
      );
      CREATE FUNCTION ledger_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger''s events are append-only (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_append_only();
    `,
  },
];

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`the database's ledger schema is at version ${found}, newer than this ledger knows (${known}): run a newer ledger`);
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Brings the schema to the latest version, in one transaction. Several replicas may start at
 * once: the transaction-scoped advisory lock makes the others wait, then find nothing left to do.
 */
export async function migrate(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS ledger_schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM ledger_schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const known = migrations.length === 0 ? 0 : Math.max(...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) throw new SchemaTooNewError(newest, known);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO ledger_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
    return known;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
