import { Projector } from '@ledger/projections';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

/** A write answers only once the read model shows it; if that takes too long, 503 and not a lie. */
describe('read-your-writes timeout', () => {
  let server: LedgerServer;
  beforeAll(async () => {
    server = await startLedgerServer({ env: { PROJECTION_WAIT_TIMEOUT: '1s' } });
  });
  afterAll(() => server.close());

  it('answers 503 with Retry-After while the projection is stalled, and the write is still recorded', async () => {
    const projector = server.app.get(Projector);
    await projector.stop();

    const res = await call(server, 'POST', '/v1/projects/lag/tokens', { token: server.rootToken, body: { name: 'late', scopes: [] } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.error.code).toBe('not_caught_up');
    const tokenId = res.body.error.details.tokenId as string;
    expect(tokenId).toMatch(/^tok_/);
    expect(JSON.stringify(res.body)).not.toMatch(/tlp_/);

    const ready = await call(server, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    // The history is read from the store itself: the write is there.
    const history = await call(server, 'GET', `/v1/projects/lag/tokens/${tokenId}/events`, { token: server.rootToken });
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['TokenCreated']);

    await projector.start();
    const view = await call(server, 'GET', `/v1/projects/lag/tokens/${tokenId}`, { token: server.rootToken });
    expect(view.body.status).toBe('active');
    expect((await call(server, 'GET', '/health/ready')).status).toBe(200);
  });
});
