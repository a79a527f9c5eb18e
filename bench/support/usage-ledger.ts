import { randomUUID } from 'node:crypto';
import { eventHash, GENESIS_HASH, SCHEMA_VERSION, type EventStore, type EventToAppend } from '@ledger/event-store';

const PROJECTS = ['shop', 'billing', 'search', 'flags'];

/**
 * A large ledger quickly: `tokens` tokens, each created and then used until `total` events are
 * recorded (TokenUsed events as the usage flush writes them), with valid hash chains. Each token's
 * events go in one append, and many appends share one group commit.
 */
export async function appendUsageLedger(store: EventStore, total: number, tokens = 2000): Promise<void> {
  const perToken = Math.ceil(total / tokens);
  const start = Date.parse('2025-06-01T00:00:00.000Z');
  const pending: Promise<unknown>[] = [];
  let written = 0;
  for (let t = 0; t < tokens && written < total; t++) {
    const tokenId = `tok_Usage${String(t).padStart(17, '0')}`;
    const projectId = PROJECTS[t % PROJECTS.length];
    const streamId = `token-${tokenId}`;
    const events: EventToAppend[] = [];
    let prevHash = GENESIS_HASH;
    const count = Math.min(perToken, total - written);
    for (let revision = 0; revision < count; revision++) {
      const at = new Date(start + (t * perToken + revision) * 1000).toISOString();
      const data =
        revision === 0
          ? {
              tokenId,
              projectId,
              name: `service ${t}`,
              type: 'integration',
              ownerId: null,
              scopes: ['metrics'],
              expiresAt: null,
              secretHash: 'e'.repeat(64),
              hint: 'tli_…abcd',
              createdAt: at,
              rotatedFrom: null,
              metadata: {},
            }
          : { tokenId, projectId, count: 1 + (revision % 7), firstUsedAt: at, lastUsedAt: at, lastIp: '10.1.2.3', lastUserAgent: 'metrics-scraper/1.4' };
      const event = {
        id: randomUUID(),
        type: revision === 0 ? 'TokenCreated' : 'TokenUsed',
        data,
        metadata: {
          actor: { type: 'system', id: 'usage-flush' },
          requestId: null,
          ip: null,
          userAgent: null,
          correlationId: null,
          causationId: null,
          schemaVersion: SCHEMA_VERSION,
          occurredAt: at,
          prevHash,
        },
      };
      prevHash = eventHash({ ...event, streamId, revision });
      events.push(event);
    }
    written += count;
    pending.push(store.appendToStream(streamId, events, 'no_stream'));
    if (pending.length >= 200) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}
