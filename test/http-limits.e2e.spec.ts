import { connect, type Socket } from 'node:net';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

interface HeldSocket {
  socket: Socket;
  /** What the server sent back, and when it closed the socket (ms since it was opened). */
  received(): string;
  closedAfter: Promise<number>;
}

function open(server: LedgerServer): Promise<HeldSocket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', () => undefined); // a reset is a close too
    const closedAfter = new Promise<number>((done) => socket.once('close', () => done(Date.now() - opened)));
    socket.once('connect', () => resolve({ socket, received: () => data, closedAfter }));
    socket.once('error', reject);
  });
}

/** Headers and the start of a body that never completes: one more byte every 300 ms. */
function sendSlowBody(held: HeldSocket, token: string): NodeJS.Timeout {
  held.socket.write(
    'POST /v1/projects/shop/tokens HTTP/1.1\r\nHost: ledger\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${token}\r\nContent-Length: 100000\r\n\r\n{"name":"`,
  );
  return setInterval(() => held.socket.writable && held.socket.write('a'), 300);
}

describe('HTTP limits: request timeout and connection cap', () => {
  let server: LedgerServer;
  const sockets: HeldSocket[] = [];
  const timers: NodeJS.Timeout[] = [];
  afterEach(async () => {
    timers.splice(0).forEach(clearInterval);
    sockets.splice(0).forEach((s) => s.socket.destroy());
    await server.close();
  });

  it('closes connections whose body is still arriving after HTTP_REQUEST_TIMEOUT, serving others meanwhile', async () => {
    server = await startLedgerServer({ env: { HTTP_REQUEST_TIMEOUT: '2s' } });
    for (let i = 0; i < 30; i++) sockets.push(await open(server));
    for (const held of sockets) timers.push(sendSlowBody(held, server.rootToken));

    // While they are held: liveness and a create answer.
    expect((await call(server, 'GET', '/health/live')).status).toBe(200);
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'svc', scopes: ['orders:read'] } });
    expect(created.status).toBe(201);

    const closedAfter = await Promise.all(sockets.map((s) => s.closedAfter));
    // 2 s of request time, checked every second by Node, and a margin for a loaded machine.
    for (const ms of closedAfter) expect(ms).toBeLessThan(2000 + 1000 + 3000);
    for (const held of sockets) expect(held.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
    // Nothing half-received was written.
    const list = await call(server, 'GET', '/v1/projects/shop/tokens', { token: server.rootToken });
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(['svc']);
  }, 60_000);

  it('closes connections beyond HTTP_MAX_CONNECTIONS at once, and accepts again once some close', async () => {
    server = await startLedgerServer({ env: { HTTP_MAX_CONNECTIONS: '5' } });
    for (let i = 0; i < 5; i++) sockets.push(await open(server));
    // Let the server accept the five before the sixth arrives.
    await new Promise((r) => setTimeout(r, 200));
    const extra = await open(server);
    sockets.push(extra);
    expect(await extra.closedAfter).toBeLessThan(2000);
    expect(extra.received()).toBe('');

    sockets.slice(0, 5).forEach((s) => s.socket.destroy());
    await Promise.all(sockets.slice(0, 5).map((s) => s.closedAfter));
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(server, 'GET', '/health/live')).status).toBe(200);
  }, 60_000);
});
