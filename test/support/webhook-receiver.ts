import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  id: string;
  /** The verified, parsed body. */
  body: { type: string; timestamp: string; data: Record<string, any> };
  receivedAt: number;
  status: number;
}

/** What to answer: a status, or 'hold' to keep the request open (until the sender goes away). */
export type Respond = (delivery: Omit<Delivery, 'status' | 'receivedAt'>, nth: number) => number | 'hold';

export interface WebhookReceiver {
  url: string;
  /** Every verified request, in arrival order (answered or not). */
  deliveries: Delivery[];
  /** Requests whose signature did not verify (must stay empty). */
  rejected: string[];
  respond: Respond;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on an ephemeral loopback port that verifies every request with the
 * `standardwebhooks` library, as an ops team's endpoint would.
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const held = new Set<ServerResponse>();
  const seen = new Map<string, number>();
  const receiver: WebhookReceiver = {
    url: '',
    deliveries: [],
    rejected: [],
    respond: () => 204,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let body: Delivery['body'];
      try {
        body = verifier.verify(raw, req.headers as Record<string, string>) as Delivery['body'];
      } catch (error) {
        receiver.rejected.push(`${(error as Error).message}: ${raw}`);
        res.writeHead(400).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      const nth = (seen.get(id) ?? 0) + 1;
      seen.set(id, nth);
      const answer = receiver.respond({ id, body }, nth);
      receiver.deliveries.push({ id, body, receivedAt: Date.now(), status: answer === 'hold' ? 0 : answer });
      if (answer === 'hold') {
        held.add(res);
        return;
      }
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/ledger`;
  return receiver;
}

export const testWebhookSecret = (): string => 'whsec_' + Buffer.from(require('node:crypto').randomBytes(24)).toString('base64');
