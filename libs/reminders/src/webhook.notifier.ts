import { Webhook } from 'standardwebhooks';
import type { Alert, Notifier } from './notifier.port';

/**
 * POSTs the alert signed as the Standard Webhooks spec says: `webhook-id` (the reminder id, the
 * same on every retry so receivers can drop duplicates), `webhook-timestamp` (this attempt) and
 * `webhook-signature` (v1, HMAC-SHA256 of "id.timestamp.body" with the whsec_ secret).
 */
export class WebhookNotifier implements Notifier {
  readonly channel = 'webhook';
  private readonly signer: Webhook;

  /** `urls.byProject` routes a project's alerts to its own endpoint; the others go to `urls.fallback`. */
  constructor(
    private readonly urls: { fallback: string | null; byProject?: Record<string, string> },
    secret: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.signer = new Webhook(secret);
  }

  async notify(alert: Alert): Promise<boolean> {
    const { byProject, fallback } = this.urls;
    // Own keys only: project `constructor` would otherwise read Object's constructor as its URL.
    const url = byProject && Object.hasOwn(byProject, alert.data.projectId) ? byProject[alert.data.projectId] : fallback;
    if (!url) return false;
    const body = JSON.stringify({ type: alert.type, timestamp: alert.timestamp, data: alert.data });
    const now = new Date();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'token-ledger-reminders',
        'webhook-id': alert.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': this.signer.sign(alert.id, now, body),
      },
      body,
      // Following a redirect would POST the signed body wherever the receiver points (another
      // host, an internal address): only the configured URL receives alerts.
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 300 && response.status < 400) {
      throw new Error(`webhook answered ${response.status}, a redirect, which is not followed: set the final URL in the configuration`);
    }
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    return true;
  }
}
