import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { EventStore, GlobalPosition } from '../event-store.port';

/**
 * Test support: a database of its own for each test run on the shared PostgreSQL server, so
 * parallel runs never see each other's events. The server is part of every run here; set
 * LEDGER_TEST_SKIP_POSTGRES=1 only where there is none (the suites are then skipped, with a
 * warning): suites use `(SKIP_POSTGRES ? describe.skip : describe)`.
 */
export const POSTGRES_TEST_SERVER = process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const SKIP_POSTGRES = process.env.LEDGER_TEST_SKIP_POSTGRES === '1';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

if (SKIP_POSTGRES) process.emitWarning('LEDGER_TEST_SKIP_POSTGRES=1: the PostgreSQL suites are skipped');

export async function createTestDatabase(server = POSTGRES_TEST_SERVER): Promise<TestDatabase> {
  const name = `ledger_test_${randomBytes(6).toString('hex')}`;
  await onServer(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function onServer(server: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: server, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL test server ${new URL(server).host} is unreachable (${(error as Error).message}); ` +
        'start it, point LEDGER_TEST_POSTGRES_URL at one, or set LEDGER_TEST_SKIP_POSTGRES=1 to skip these suites',
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Resolves once `store`'s head has reached `position`. Reads of the global stream stop below the
 * oldest transaction running on the server (pg-read.ts), and the suites running beside this one
 * hold transactions open (some on purpose, with commit delays), so an append just acknowledged
 * may take a moment to be read.
 */
export async function waitUntilSettled(store: EventStore, position: GlobalPosition, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.headPosition()) < position) {
    if (Date.now() > deadline) throw new Error(`position ${position} was not readable within ${timeoutMs} ms: a transaction on the server stays open`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
