import type { TokenType } from '@ledger/token-domain';
import type { ReminderKind } from './reminder';

/** The alert every channel sends (docs/reminders.md, "Webhook"); `id` is stable across retries. */
export interface Alert {
  id: string;
  type: `token.${ReminderKind}`;
  timestamp: string;
  data: {
    tokenId: string;
    projectId: string;
    name: string;
    type: TokenType;
    expiresAt: string | null;
    due: string;
    hint: string;
  };
}

/**
 * A delivery channel (webhook today; e-mail or Slack plug in the same way). Resolves whether it
 * delivered the alert (false: the channel has no address for this project); throws to retry.
 */
export interface Notifier {
  readonly channel: string;
  notify(alert: Alert): Promise<boolean>;
}

/** The structured log the reminders write to (pino-shaped, so pino and Nest's Logger both fit). */
export interface ReminderLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}
