import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers one verify request with: a status and body, or a dropped connection, or silence. */
export type FakeAnswer = { status: number; body: unknown } | 'drop' | 'hang';

/**
 * A real HTTP server on a loopback ephemeral port standing in for the ledger's
 * POST /v1/tokens/verify, answering from a script: for testing the client's cache, retries and
 * failure handling against real sockets rather than a mocked fetch.
 */
export interface FakeLedger {
  url: string;
  /** Bodies of the verify requests received, in order. */
  requests: Array<{ token: string; scopes?: string[]; projectId?: string }>;
  /** X-Forwarded-For of each verify request (undefined when not sent). */
  forwardedFor: Array<string | undefined>;
  /** The path of each request. */
  paths: string[];
  /** The next answers, in order; when spent, `otherwise` answers. */
  script(...answers: FakeAnswer[]): void;
  otherwise(answer: (body: { token: string }) => FakeAnswer): void;
  close(): Promise<void>;
}

export async function startFakeLedger(): Promise<FakeLedger> {
  const queue: FakeAnswer[] = [];
  let fallback: (body: { token: string }) => FakeAnswer = () => ({ status: 500, body: { error: { code: 'internal_error', message: 'unscripted' } } });
  const requests: FakeLedger['requests'] = [];
  const forwardedFor: FakeLedger['forwardedFor'] = [];
  const paths: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text || '{}');
      requests.push(body);
      paths.push(req.url ?? '');
      forwardedFor.push(req.headers['x-forwarded-for'] as string | undefined);
      const answer = queue.shift() ?? fallback(body);
      if (answer === 'drop') return req.socket.destroy();
      if (answer === 'hang') return void hanging.add(res);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    forwardedFor,
    paths,
    script: (...answers) => queue.push(...answers),
    otherwise: (answer) => (fallback = answer),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A valid answer for a token of project `shop`, as the ledger gives it. */
export const validAnswer = (tokenId = 'tok_1', extra: Record<string, unknown> = {}): FakeAnswer => ({
  status: 200,
  body: { valid: true, tokenId, projectId: 'shop', type: 'integration', ownerId: null, scopes: ['orders:read'], expiresAt: null, ...extra },
});

export const refusedAnswer = (code: string): FakeAnswer => ({ status: 200, body: { valid: false, code } });
