import { createServer, type Server } from 'node:net';
import { onFreePort } from './support/child-server';

/** A real listen on `port`: rejects with Node's own EADDRINUSE error when the port is taken. */
function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('onFreePort (starting what cannot take port 0)', () => {
  it('starts again on another port when a neighbour took the first one', async () => {
    const neighbour = await listenOn(0);
    const taken = (neighbour.address() as { port: number }).port;
    const tried: number[] = [];
    try {
      // The first start is handed the neighbour's port, as if it had been taken meanwhile.
      const server = await onFreePort((port) => {
        tried.push(port);
        return listenOn(tried.length === 1 ? taken : port);
      });
      expect(tried).toHaveLength(2);
      expect((server.address() as { port: number }).port).toBe(tried[1]);
      await new Promise((resolve) => server.close(resolve));
    } finally {
      await new Promise((resolve) => neighbour.close(resolve));
    }
  });

  it('does not retry a failure that is not a taken port, and gives up after its attempts', async () => {
    let calls = 0;
    const broken = () => {
      calls++;
      return Promise.reject(new Error('nginx: [emerg] unknown directive'));
    };
    await expect(onFreePort(broken)).rejects.toThrow('unknown directive');
    expect(calls).toBe(1);
    calls = 0;
    const alwaysTaken = () => {
      calls++;
      return Promise.reject(new Error('bind() to 127.0.0.1:1 failed (98: Address already in use)'));
    };
    await expect(onFreePort(alwaysTaken, 3)).rejects.toThrow('Address already in use');
    expect(calls).toBe(3);
  });
});
