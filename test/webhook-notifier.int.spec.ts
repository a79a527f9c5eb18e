import { createServer } from 'node:http';
import { WebhookNotifier, type Alert } from '@ledger/reminders';
import { startWebhookReceiver, testWebhookSecret, type WebhookReceiver } from './support/webhook-receiver';

const alert = (projectId: string): Alert => ({
  id: `tok_x.expired.${Date.parse('2026-01-01T10:00:00.000Z')}`,
  type: 'token.expired',
  timestamp: '2026-01-01T10:00:00.000Z',
  data: { tokenId: 'tok_x', projectId, name: 'n', type: 'project', expiresAt: '2026-01-01T10:00:00.000Z', due: '2026-01-01T10:00:00.000Z', hint: 'tlp_…abcd' },
});

/** The webhook channel against real receivers that verify with the standardwebhooks library. */
describe('WebhookNotifier', () => {
  const secret = testWebhookSecret();
  let fallback: WebhookReceiver;
  let shop: WebhookReceiver;
  beforeAll(async () => {
    [fallback, shop] = await Promise.all([startWebhookReceiver(secret), startWebhookReceiver(secret)]);
  });
  afterAll(() => Promise.all([fallback.close(), shop.close()]));

  it('signs the body docs/reminders.md shows; a project with its own URL gets it there, the others at the fallback', async () => {
    const notifier = new WebhookNotifier({ fallback: fallback.url, byProject: { shop: shop.url } }, secret);
    expect(await notifier.notify(alert('shop'))).toBe(true);
    expect(await notifier.notify(alert('billing'))).toBe(true);
    expect(shop.deliveries.map((d) => [d.id, d.body])).toEqual([
      [alert('shop').id, { type: 'token.expired', timestamp: alert('shop').timestamp, data: alert('shop').data }],
    ]);
    expect(fallback.deliveries.map((d) => d.body.data.projectId)).toEqual(['billing']);
    expect([...shop.rejected, ...fallback.rejected]).toEqual([]);
  });

  it.each(['constructor', 'tostring', 'valueof', 'hasownproperty'])('routes project %p like any other (no prototype lookup)', async (projectId) => {
    fallback.deliveries.length = 0;
    shop.deliveries.length = 0;
    const viaFallback = new WebhookNotifier({ fallback: fallback.url, byProject: { shop: shop.url } }, secret);
    expect(await viaFallback.notify(alert(projectId))).toBe(true);
    expect(await new WebhookNotifier({ fallback: null, byProject: { shop: shop.url } }, secret).notify(alert(projectId))).toBe(false);
    const ownUrl = new WebhookNotifier({ fallback: fallback.url, byProject: { [projectId]: shop.url } }, secret);
    expect(await ownUrl.notify(alert(projectId))).toBe(true);
    expect(fallback.deliveries.map((d) => d.body.data.projectId)).toEqual([projectId]);
    expect(shop.deliveries.map((d) => d.body.data.projectId)).toEqual([projectId]);
  });

  it('delivers nothing (and says so) for a project without a URL when there is no fallback', async () => {
    const notifier = new WebhookNotifier({ fallback: null, byProject: { shop: shop.url } }, secret);
    expect(await notifier.notify(alert('billing'))).toBe(false);
  });

  it('fails (to be retried) on a non-2xx answer, and a receiver with another secret rejects the signature', async () => {
    fallback.respond = () => 503;
    await expect(new WebhookNotifier({ fallback: fallback.url }, secret).notify(alert('x'))).rejects.toThrow('webhook answered 503');
    fallback.respond = () => 204;
    const other = await startWebhookReceiver(testWebhookSecret());
    try {
      await expect(new WebhookNotifier({ fallback: other.url }, secret).notify(alert('x'))).rejects.toThrow('webhook answered 400');
      expect(other.rejected).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  /**
   * A redirect would make the ledger POST the signed body wherever the receiver points (another
   * host, an internal address): the configured URL is the only destination.
   */
  it.each([301, 302, 303, 307, 308])('does not follow a %i redirect: a failed delivery that says why', async (status) => {
    const elsewhere = await startWebhookReceiver(secret);
    const redirecting = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(status, { location: elsewhere.url }).end());
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(redirecting.address() as { port: number }).port}/hooks`;
    try {
      await expect(new WebhookNotifier({ fallback: url }, secret).notify(alert('x'))).rejects.toThrow(
        `webhook answered ${status}, a redirect, which is not followed: set the final URL in the configuration`,
      );
      expect([...elsewhere.deliveries, ...elsewhere.rejected]).toEqual([]);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((r) => redirecting.close(r));
      await elsewhere.close();
    }
  });

  it('gives up on a receiver that never answers after its timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/`;
    try {
      await expect(new WebhookNotifier({ fallback: url }, secret, 300).notify(alert('x'))).rejects.toThrow();
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
