import { Client, type ClientConfig } from 'pg';
import { backoffDelay, type Backoff } from '../backoff';

export const NOTIFY_CHANNEL = 'ledger_events';

/**
 * One LISTEN connection per store: every commit of any replica sends a NOTIFY on the channel,
 * which wakes this process's subscriptions at once. It is only a shortcut: subscriptions also
 * poll, so a lost listener (reconnected with backoff) delays events, never loses them.
 */
export class PgListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    /** Called with the payload: the id of the store that committed. */
    private readonly onNotify: (payload?: string) => void,
    private readonly backoff: Backoff,
    private readonly onLost?: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.client || this.retry || this.closed) return;
    const client = new Client(this.config);
    this.client = client;
    const lost = (error: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.onLost?.(error ?? new Error('listen connection ended'));
      this.retry = setTimeout(
        () => {
          this.retry = undefined;
          this.start();
        },
        backoffDelay(this.attempts++, this.backoff),
      );
      this.retry.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost(undefined));
    client.on('notification', (message) => this.onNotify(message.payload));
    client
      .connect()
      .then(() => client.query(`LISTEN ${NOTIFY_CHANNEL}`))
      .then(() => {
        this.attempts = 0;
        // Whatever committed while nobody listened is read now.
        this.onNotify();
      })
      .catch(lost);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
