import { randomBytes, randomUUID } from 'node:crypto';
import { eventHash, GENESIS_HASH, SCHEMA_VERSION, type EventStore, type EventToAppend, type ExpectedRevision } from '@ledger/event-store';
import { formatTokenId, formatTokenValue, hashTokenValue, tokenHint, type TokenType } from '@ledger/token-domain';
import { timeOrderedIdBytes } from '@ledger/tokens';
import { v7 as timeOrderedUuid } from 'uuid';

/** Where a token's stream stands, to chain the next event onto it. */
interface Stream {
  tokenId: string;
  projectId: string;
  revision: number;
  lastHash: string;
}

interface Append {
  stream: Stream;
  event: EventToAppend;
  expected: ExpectedRevision;
}

const PROJECTS = ['shop', 'billing', 'search', 'flags', 'metrics', 'mobile-api', 'partner-gateway', 'ci'];
const NAMES = ['ci deploy', 'billing webhook', 'grafana scraper', 'partner sync', 'mobile app', 'nightly export'];
const SCOPES = ['flags:read', 'flags:write', 'metrics', 'orders:read', 'orders:write', 'read', 'tokens:read'];
const TYPES: TokenType[] = ['project', 'project', 'integration', 'personal'];
const DAY_MS = 86_400_000;

/** Deterministic choices, so every run replays the same mix of events. */
function seeded(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
}

/**
 * Appends `total` events shaped like the API records them: per 20 events 15 creations, 3 revokes
 * and a rotation (TokenRotated on the old stream, TokenCreated on the new one), each with full
 * request metadata and a valid hash chain. Appends are queued `batch` at a time, so the store's
 * group commit writes each batch in one transaction.
 */
export async function appendSampleLedger(store: EventStore, total: number, batch = 5000): Promise<void> {
  const random = seeded(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const active: Stream[] = [];
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  let events = 0;

  const append = (stream: Stream, type: string, data: Record<string, unknown>): Append => {
    const occurredAt = new Date((clock += 30_000)).toISOString();
    const requestId = randomUUID();
    const metadata = {
      actor: { type: 'token', id: 'tok_0Q3cA9bWk2XyZ7rTnV4pLm' },
      requestId,
      ip: `10.0.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
      userAgent: 'billing-service/2.3.1 node-fetch/3',
      correlationId: requestId,
      causationId: requestId,
      schemaVersion: SCHEMA_VERSION,
      occurredAt,
      prevHash: stream.lastHash,
    };
    // Ids as the API mints them: they sort by the (simulated) time of the event.
    const event = { id: timeOrderedUuid({ msecs: clock }), type, data, metadata };
    const expected = stream.revision < 0 ? 'no_stream' : stream.revision;
    stream.revision++;
    stream.lastHash = eventHash({ ...event, streamId: `token-${stream.tokenId}`, revision: stream.revision });
    events++;
    return { stream, event, expected };
  };

  const newToken = (rotatedFrom: Stream | null) => {
    const type = pick(TYPES);
    const value = formatTokenValue(type, randomBytes(32));
    const tokenId = formatTokenId(timeOrderedIdBytes(clock));
    const projectId = rotatedFrom?.projectId ?? pick(PROJECTS);
    const stream: Stream = { tokenId, projectId, revision: -1, lastHash: GENESIS_HASH };
    const data = {
      tokenId,
      projectId,
      name: pick(NAMES),
      type,
      ownerId: type === 'personal' ? `user-${Math.floor(random() * 500)}` : null,
      scopes: [pick(SCOPES), pick(SCOPES)].filter((s, i, all) => all.indexOf(s) === i),
      expiresAt: random() < 0.5 ? null : new Date(clock + 90 * DAY_MS).toISOString(),
      secretHash: hashTokenValue(value),
      hint: tokenHint(value),
      createdAt: new Date(clock).toISOString(),
      rotatedFrom: rotatedFrom?.tokenId ?? null,
      metadata: random() < 0.5 ? {} : { team: 'payments', ticket: 'OPS-1234' },
    };
    active.push(stream);
    return { stream, data };
  };

  /** Takes a random token out of the active set (swapping in the last one keeps this O(1)). */
  const retire = (): Stream => {
    const i = Math.floor(random() * active.length);
    const stream = active[i];
    active[i] = active[active.length - 1];
    active.pop();
    return stream;
  };

  const next = (i: number): Append[] => {
    const step = i % 19; // 19 commands make 20 events: the rotation writes two
    if (step < 15 || active.length < 10 || events + 2 > total) {
      const created = newToken(null);
      return [append(created.stream, 'TokenCreated', created.data)];
    }
    const old = retire();
    const at = new Date(clock).toISOString();
    if (step < 18) {
      return [append(old, 'TokenRevoked', { tokenId: old.tokenId, projectId: old.projectId, reason: 'no longer used', revokedAt: at })];
    }
    const { stream, data } = newToken(old);
    return [
      append(old, 'TokenRotated', {
        tokenId: old.tokenId,
        projectId: old.projectId,
        newTokenId: stream.tokenId,
        graceUntil: new Date(clock + DAY_MS).toISOString(),
        rotatedAt: at,
        newToken: { secretHash: data.secretHash, hint: data.hint, expiresAt: data.expiresAt },
      }),
      append(stream, 'TokenCreated', data),
    ];
  };

  for (let command = 0; events < total;) {
    const pending: Promise<unknown>[] = [];
    const until = Math.min(total, events + batch);
    while (events < until) {
      for (const { stream, event, expected } of next(command++)) {
        pending.push(store.appendToStream(`token-${stream.tokenId}`, [event], expected));
      }
    }
    await Promise.all(pending);
  }
}
