import type { RecordedEvent } from '@ledger/event-store';
import { isTokenEvent, secretHashDigest, type TokenEvent } from '@ledger/token-domain';
import { evolveTokenRow, type IndexedToken, type TokenRow } from './token-list.projection';
import type { StoredIndexedToken, TokenListReadModel } from './token-list.read-model';

export type { IndexedToken };

/** Pure fold of one entry: the token list's fold, keeping only the indexed fields. */
export function evolveIndexedToken(entry: IndexedToken | null, event: TokenEvent): IndexedToken | null {
  // evolveTokenRow only spreads the row and sets fields: a partial row folds like a whole one.
  const row = evolveTokenRow(entry as TokenRow | null, event);
  return row && pick(row);
}

/**
 * The secret hashes of the ledger are hex SHA-256: keyed as their 32 bytes, half the string
 * (what tokenValueDigest gives for the value itself).
 */
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const keyOf = (secretHash: string): string => (HEX_SHA256.test(secretHash) ? secretHashDigest(secretHash) : secretHash);

/** A revoked token counts as revoked, an expired one (past its expiry or grace) as expired. */
export type TokenStatusCount = 'active' | 'expired' | 'revoked';

/** Where the index finds the secret hash of an event that names only the token id. */
export type SecretHashLookup = (tokenId: string) => string | undefined;

/** Told about a revoke, rotation or expiry of a token that was never created (a skipped event). */
export type OrphanEventWarning = (message: string, event: { tokenId: string; type: string; position: number }) => void;

/**
 * The events that end or narrow a token's validity (an edit narrows scopes, shortens expiry): one
 * the index cannot place would leave a token valid, or valid for more.
 */
const ENDING_EVENTS = new Set(['TokenRevoked', 'TokenRotated', 'TokenUpdated', 'TokenExpired']);

/**
 * A revoke, rotation or expiry the index cannot place although its token was created in the
 * store: applying past it would leave a revoked token valid here. Thrown so that the projector
 * stops (a loud exit, then a start that rebuilds the index), never skipped.
 */
export class UnplacedTokenEventError extends Error {
  constructor(
    readonly tokenId: string,
    readonly eventType: string,
    readonly position: number,
  ) {
    super(`${eventType} at position ${position} names ${tokenId}, created in the store but unknown to the verification index and the read model`);
    this.name = 'UnplacedTokenEventError';
  }
}

/** Per token slot: project, type, owner (NONE: no owner) and scope list, as table positions. */
const INTS = 4;
/** Per token slot: createdAt, expiresAt, expiredAt, revokedAt in ms since the epoch (NaN: none). */
const TIMES = 4;
const NONE = -1;
const INITIAL_SLOTS = 1024;
/** Entries built for recent lookups, kept for the next ones: a service presents the same few tokens. */
const RECENT_ENTRIES = 1024;

const toMs = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));
const toIso = (ms: number): string | null => (Number.isNaN(ms) ? null : new Date(ms).toISOString());

/**
 * Secret hash → token, in memory, so that authenticating a request never touches disk. It is
 * loaded from the read model at start and then fed by the projector in the same step as the
 * read model, so a revoke is seen here as soon as the revoke call has been answered.
 *
 * Memory per token is the point of its layout (about 210 bytes, measured by the verify bench):
 * - a token is a slot in columns (typed arrays), not an object of its own: projects, types,
 *   owners and scope lists repeat across thousands of tokens and are stored once, times are
 *   numbers; find() builds the entry the caller reads;
 * - keys are the hash's 32 bytes as a string, half its hex;
 * - revokes, rotations and expiries name a token by id: its secret hash is looked up in the read
 *   model, which the projector has already moved on, rather than in a second map by id.
 */
export class TokenIndex {
  private readonly slotBySecret = new Map<string, number>();
  private readonly ids: string[] = [];
  private ints = new Int32Array(INITIAL_SLOTS * INTS);
  private times = new Float64Array(INITIAL_SLOTS * TIMES);
  // Stryker disable next-line ArrayDeclaration: equivalent, positions come from push(), so a string placed there first is never read
  private readonly strings: string[] = [];
  private readonly stringPositions = new Map<string, number>();
  private readonly scopeLists: string[][] = [];
  private readonly scopeListPositions = new Map<string, number>();
  private readonly recent = new Map<number, IndexedToken>();
  /**
   * Secret hashes of tokens created since the read model last caught up with the index: while
   * its writes fail (a full disk) it cannot tell the hash of a token revoked right after.
   */
  private readonly createdAhead = new Map<string, string>();

  constructor(
    private readonly secretHashOf: SecretHashLookup,
    private readonly warn: OrphanEventWarning = () => undefined,
  ) {}

  /** Everything the read model holds, up to its checkpoint; later events look hashes up in it. */
  static load(readModel: TokenListReadModel, warn?: OrphanEventWarning): TokenIndex {
    const index = new TokenIndex((tokenId) => readModel.secretHashOf(tokenId), warn);
    for (const row of readModel.indexedRows()) index.putStored(row);
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  find(secretHash: string): IndexedToken | undefined {
    return this.findByDigest(keyOf(secretHash));
  }

  /** By the value's tokenValueDigest: the verification path, which has no hex to convert. */
  findByDigest(digest: string): IndexedToken | undefined {
    const slot = this.slotBySecret.get(digest);
    if (slot === undefined) return undefined;
    let entry = this.recent.get(slot);
    if (entry === undefined) {
      if (this.recent.size >= RECENT_ENTRIES) this.recent.clear();
      entry = Object.freeze(this.entry(slot));
      this.recent.set(slot, entry);
    }
    return entry;
  }

  /** The secret hash of a token named by id (an access token names its parent so): the read model's, or one created just now. */
  secretHashOfId(tokenId: string): string | undefined {
    return this.createdAhead.get(tokenId) ?? this.secretHashOf(tokenId);
  }

  apply(events: RecordedEvent[]): void {
    for (const event of events) {
      // Uses and issued access tokens change nothing authentication needs: skip them rather than rewrite the slot.
      if (!isTokenEvent(event) || event.type === 'TokenUsed' || event.type === 'AccessTokenIssued') continue;
      const tokenId = event.data.tokenId;
      const secretHash = event.type === 'TokenCreated' ? event.data.secretHash : (this.createdAhead.get(tokenId) ?? this.secretHashOf(tokenId));
      if (!secretHash) {
        if (ENDING_EVENTS.has(event.type)) this.unplaced(event, tokenId);
        continue;
      }
      // Stryker disable next-line ConditionalExpression: equivalent — for any other event the hash came from createdAhead or the read model, and remembering it again changes no answer
      if (event.type === 'TokenCreated') this.createdAhead.set(tokenId, secretHash);
      const next = evolveIndexedToken(this.find(secretHash) ?? null, event);
      if (next) this.put(secretHash, next);
    }
  }

  /**
   * A stream's first event (revision 0) is its TokenCreated, and the ledger never deletes one: a
   * later event means the token was created, here or before the read model's snapshot, and
   * neither the read model nor this index can tell its hash — a bug, thrown. At revision 0 the
   * stream has no creation at all: nothing to revoke here, but an operator must hear of it.
   */
  private unplaced(event: RecordedEvent, tokenId: string): void {
    if (event.revision > 0) throw new UnplacedTokenEventError(tokenId, event.type, event.position);
    this.warn(`${event.type} for ${tokenId}, a token never created in the store: skipped by the verification index`, {
      tokenId,
      type: event.type,
      position: event.position,
    });
  }

  /** The read model holds every token applied here: it can answer their hashes again. */
  caughtUp(): void {
    this.createdAhead.clear();
  }

  /**
   * Tokens per project by status at `nowMs`: one pass over the columns (no entry built, no
   * string compared), a few milliseconds at a million tokens. What the metrics gauges read.
   */
  countByProjectAndStatus(nowMs: number): Map<string, Record<TokenStatusCount, number>> {
    const counts = new Map<string, Record<TokenStatusCount, number>>();
    const byPosition: Array<Record<TokenStatusCount, number>> = [];
    const { ints, times, strings } = this;
    for (let slot = 0; slot < this.ids.length; slot++) {
      const project = ints[slot * INTS];
      let row = byPosition[project];
      if (row === undefined) {
        row = byPosition[project] = { active: 0, expired: 0, revoked: 0 };
        counts.set(strings[project], row);
      }
      const t = slot * TIMES;
      if (!Number.isNaN(times[t + 3])) row.revoked++;
      else if (!Number.isNaN(times[t + 2]) || times[t + 1] <= nowMs) row.expired++;
      else row.active++;
    }
    return counts;
  }

  private entry(slot: number): IndexedToken {
    const i = slot * INTS;
    const t = slot * TIMES;
    const { ints, times, strings } = this;
    return {
      id: this.ids[slot],
      projectId: strings[ints[i]],
      type: strings[ints[i + 1]] as IndexedToken['type'],
      ownerId: ints[i + 2] === NONE ? null : strings[ints[i + 2]],
      scopes: this.scopeLists[ints[i + 3]],
      createdAt: toIso(times[t]) as string,
      expiresAt: toIso(times[t + 1]),
      expiredAt: toIso(times[t + 2]),
      revokedAt: toIso(times[t + 3]),
    };
  }

  private put(secretHash: string, token: IndexedToken): void {
    const { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt } = token;
    this.fill(this.slotFor(secretHash, id), projectId, type, ownerId, this.internScopes(scopes), createdAt, expiresAt, expiredAt, revokedAt);
  }

  /**
   * A row as the read model stores it (the load at start): its scope list is parsed only when no
   * token before it had the same one. The stored JSON is what internScopes keys lists by.
   */
  private putStored([id, projectId, type, ownerId, scopesJson, createdAt, expiresAt, expiredAt, revokedAt, secretHash]: StoredIndexedToken): void {
    const scopes = this.scopeListPositions.get(scopesJson) ?? this.internScopes(JSON.parse(scopesJson) as string[]);
    this.fill(this.slotFor(secretHash, id), projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt);
  }

  /** The slot of the token with this secret hash: its own, or a new one at the end. */
  private slotFor(secretHash: string, id: string): number {
    const key = keyOf(secretHash);
    let slot = this.slotBySecret.get(key);
    if (slot === undefined) {
      slot = this.ids.length;
      this.reserve(slot + 1);
      this.ids.push(id);
      this.slotBySecret.set(key, slot);
    } else {
      this.ids[slot] = id;
      this.recent.delete(slot);
    }
    return slot;
  }

  private fill(
    slot: number,
    projectId: string,
    type: string,
    ownerId: string | null,
    scopeList: number,
    createdAt: string,
    expiresAt: string | null,
    expiredAt: string | null,
    revokedAt: string | null,
  ): void {
    const i = slot * INTS;
    this.ints[i] = this.intern(projectId);
    this.ints[i + 1] = this.intern(type);
    this.ints[i + 2] = ownerId === null ? NONE : this.intern(ownerId);
    this.ints[i + 3] = scopeList;
    const t = slot * TIMES;
    this.times[t] = toMs(createdAt);
    this.times[t + 1] = toMs(expiresAt);
    this.times[t + 2] = toMs(expiredAt);
    this.times[t + 3] = toMs(revokedAt);
  }

  /** Doubles the columns when `slots` would not fit. */
  private reserve(slots: number): void {
    // Stryker disable next-line EqualityOperator: `<` is equivalent (it grows one slot early); `>` (never grows) fails the 2,500-token test, checked by hand
    if (slots * INTS <= this.ints.length) return;
    // Stryker disable next-line ArithmeticOperator: equivalent through the API, any capacity >= slots holds the same tokens (the verify bench's index_bytes_per_token measures the memory)
    const capacity = Math.max(slots, (this.ints.length / INTS) * 2);
    const ints = new Int32Array(capacity * INTS);
    ints.set(this.ints);
    const times = new Float64Array(capacity * TIMES);
    times.set(this.times);
    this.ints = ints;
    this.times = times;
  }

  private intern(value: string): number {
    let position = this.stringPositions.get(value);
    // Stryker disable next-line ConditionalExpression: `true` is equivalent (a string stored twice reads back the same, only memory differs); `false` fails the index specs, checked by hand
    if (position === undefined) {
      position = this.strings.push(value) - 1;
      this.stringPositions.set(value, position);
    }
    return position;
  }

  /**
   * Scope lists are shared, so they are frozen: a caller cannot change another token's scopes.
   * Keyed by their JSON, which no two different lists share (joined with a space, ["a b"] was
   * ["a", "b"]: the validation keeps spaces out of scopes, the index must not depend on it).
   */
  private internScopes(scopes: string[]): number {
    const key = JSON.stringify(scopes);
    let position = this.scopeListPositions.get(key);
    if (position === undefined) {
      position = this.scopeLists.push(Object.freeze(scopes.map((s) => this.strings[this.intern(s)])) as string[]) - 1;
      this.scopeListPositions.set(key, position);
    }
    return position;
  }
}

function pick(row: TokenRow): IndexedToken {
  const { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt } = row;
  return { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt };
}
