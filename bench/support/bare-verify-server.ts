/**
 * The floor for the verify bench: a bare Fastify server (the newest Fastify 5, from bench/floor's
 * own install, see floor-install.ts) doing the same work per request as the
 * ledger's hot path at its core (parse the JSON body or read the header, SHA-256 the value,
 * look it up in a Map of the same 100,000 entries) and nothing else. Run as its own process:
 * node bare-verify-server.js <read-model-file> <port>
 * Its first stdout line says it is ready, on which port (the kernel's pick for port 0) and which
 * Fastify it runs on.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type FastifyFactory from 'fastify';
import { floorFastify, floorRequire } from './floor-install';

interface Entry {
  id: string;
  projectId: string;
  scopes: string[];
}

async function main(): Promise<void> {
  const [file, port] = process.argv.slice(2);
  const db = new Database(file, { readonly: true });
  const index = new Map<string, Entry>();
  for (const row of db.prepare('SELECT id, project_id, scopes, secret_hash FROM tokens').iterate() as Iterable<Record<string, string>>) {
    index.set(row.secret_hash, { id: row.id, projectId: row.project_id, scopes: JSON.parse(row.scopes) });
  }
  db.close();
  const hash = (value: string) => createHash('sha256').update(value).digest('hex');
  const floor = floorFastify();
  const Fastify = floorRequire('fastify') as typeof FastifyFactory;
  const fastify = Fastify();
  fastify.post('/v1/tokens/verify', async (request) => {
    const entry = index.get(hash((request.body as { token: string }).token));
    return entry ? { valid: true, tokenId: entry.id, projectId: entry.projectId, scopes: entry.scopes } : { valid: false, code: 'not_found' };
  });
  fastify.get('/v1/auth/check', async (request, reply) => {
    const entry = index.get(hash(String(request.headers.authorization).slice(7)));
    if (!entry) return reply.status(401).send();
    void reply.header('x-token-id', entry.id).header('x-token-project', entry.projectId).header('x-token-scopes', entry.scopes.join(' '));
    return reply.send();
  });
  await fastify.listen({ port: Number(port), host: '127.0.0.1' });
  const bound = (fastify.server.address() as AddressInfo).port;
  process.stdout.write(JSON.stringify({ ready: true, port: bound, fastify: floor }) + '\n');
}

void main();
