import { eventHash, GENESIS_HASH, type RecordedEvent } from '@ledger/event-store';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** Invariant 3 (docs/architecture.md, "Invariants"): two concurrent commands on one token never both apply on a stale state. */
describe('concurrent revoke and rotate on one token', () => {
  let server: LedgerServer;
  beforeAll(async () => {
    server = await startLedgerServer();
  });
  afterAll(() => server.close());

  it.each([1, 2, 3])('20 parallel calls end in one consistent history (round %i)', async () => {
    const created = await call(server, 'POST', '/v1/projects/race/tokens', {
      token: server.rootToken,
      body: { name: 'contested', scopes: ['a'], expiresIn: '1d' },
    });
    const id = created.body.token.id as string;

    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? call(server, 'POST', `/v1/projects/race/tokens/${id}/rotate`, { token: server.rootToken, body: { gracePeriod: '1h' } })
        : call(server, 'DELETE', `/v1/projects/race/tokens/${id}`, { token: server.rootToken }),
    );
    const responses = await Promise.all(calls);
    const rotations = responses.filter((r, i) => i % 2 === 0 && r.status === 201);
    const revokes = responses.filter((r, i) => i % 2 === 1 && r.status === 200);

    // Every answer is a success or a clean conflict, never a 5xx.
    for (const r of responses) expect([200, 201, 409]).toContain(r.status);
    // Revoke is idempotent: every revoke that was not a conflict succeeded.
    expect(revokes.length).toBeGreaterThanOrEqual(1);

    const history = (await call(server, 'GET', `/v1/projects/race/tokens/${id}/events`, { token: server.rootToken })).body.items as RecordedEvent[];
    const types = history.map((e) => e.type);
    expect(types[0]).toBe('TokenCreated');
    expect(types.filter((t) => t === 'TokenRotated').length).toBe(rotations.length);
    expect(rotations.length).toBeLessThanOrEqual(1);
    expect(types.filter((t) => t === 'TokenRevoked')).toHaveLength(1);
    // Once revoked, nothing more happens to the token.
    expect(types.at(-1)).toBe('TokenRevoked');
    expect(history.map((e) => e.revision)).toEqual(history.map((_, i) => i));
    let prevHash = GENESIS_HASH;
    for (const event of history) {
      expect(event.metadata.prevHash).toBe(prevHash);
      prevHash = eventHash(event);
    }

    // A rotation that won created exactly one successor, and every losing rotation created none.
    const successors = (await call(server, 'GET', '/v1/projects/race/tokens?limit=200', { token: server.rootToken })).body.items.filter(
      (t: { rotatedFrom: string | null }) => t.rotatedFrom === id,
    );
    expect(successors).toHaveLength(rotations.length);
    if (rotations.length === 1) expect(successors[0].id).toBe(rotations[0].body.token.id);
  });
});
