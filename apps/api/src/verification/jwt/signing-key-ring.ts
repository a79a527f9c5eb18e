import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { LedgerConfig } from '@ledger/config';
import { foldStream, systemContext, type CommandContext, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { Projector, type ProjectionFollower } from '@ledger/projections';
import { activeSigningKey, SIGNING_KEYS_STREAM, signingKeyDecider, verifyingKeys, type CommandCaller, type SigningKeyState } from '@ledger/token-domain';
import { EVENT_STORE, LEDGER_CONFIG } from '../../store/ledger-store.tokens';
import { activateSigningKey, readSigningKeys, type ActivatedKey } from '@ledger/tokens';

/**
 * The signing keys as the ledger records them (stream ledger-signing-keys), with the private half
 * of the active one from the key file. Followed through the projector, so a rotation made by the
 * CLI or another replica is picked up here too: the stream is small, so any change of it reloads it whole.
 */
@Injectable()
export class SigningKeyRing implements ProjectionFollower, OnApplicationBootstrap {
  private readonly logger = new Logger('SigningKeys');
  private state: SigningKeyState = signingKeyDecider.initialState();
  private readonly publicKeys = new Map<string, KeyObject>();
  private signingKey: { kid: string; key: KeyObject } | null = null;
  private loading: Promise<void> = Promise.resolve();
  private lastRetryAt = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    projector: Projector,
  ) {
    projector.follow(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    await this.ensureActiveKey();
  }

  apply(events: RecordedEvent[]): void {
    if (events.some((e) => e.streamId === SIGNING_KEYS_STREAM)) {
      this.reload().catch((err: unknown) => this.logger.error({ err }, 'could not reload the signing keys'));
    }
  }

  /** The key that signs now, or null when this replica lacks its private half (answered 503). */
  signer(): { kid: string; key: KeyObject } | null {
    // Never a key the ledger no longer names active (a reload still under way, or one that failed).
    return this.signingKey && this.signingKey.kid === activeSigningKey(this.state)?.kid ? this.signingKey : null;
  }

  /**
   * The signer for an exchange. Without one while the ledger names an active key (the key file was
   * unreadable or lacked it when the key event arrived), the file is read again, at most every
   * RETRY_MS: once an operator repairs or shares the file, this replica signs again without a
   * restart instead of answering 503 until the next key event.
   */
  async signerForExchange(): Promise<{ kid: string; key: KeyObject } | null> {
    const signer = this.signer();
    if (signer || !activeSigningKey(this.state) || Date.now() - this.lastRetryAt < SigningKeyRing.RETRY_MS) return signer;
    this.lastRetryAt = Date.now();
    await this.reload().catch(() => undefined); // load() has logged why
    return this.signer();
  }

  static readonly RETRY_MS = 5000;

  /** The public key of `kid` while tokens it signed may still be valid. */
  verificationKey(kid: string, now: Date): KeyObject | undefined {
    const key = this.publicKeys.get(kid);
    if (!key) return undefined;
    return verifyingKeys(this.state, now).some((k) => k.kid === kid) ? key : undefined;
  }

  /** The JWKS (RFC 7517): the active key and the retired ones whose tokens may still be valid. */
  jwks(now: Date): { keys: object[] } {
    return { keys: verifyingKeys(this.state, now).map((k) => k.publicJwk) };
  }

  /** Root's rotation (the route); `retireNow` for a leaked key: the old one verifies nothing from now on. */
  async rotate(caller: CommandCaller, context: CommandContext, options: { retireNow?: boolean } = {}): Promise<ActivatedKey> {
    const activated = await activateSigningKey(this.store, {
      keyFile: this.config.accessTokens.signingKeyFile,
      caller,
      context,
      maxTokenLifetimeSeconds: this.config.accessTokens.ttlSeconds,
      retireNow: options.retireNow,
    });
    await this.reload();
    return activated as ActivatedKey;
  }

  /** Serialized: a reload asked for while one runs starts after it, so the last one sees the newest events. */
  reload(): Promise<void> {
    this.loading = this.loading.catch(() => undefined).then(() => this.load());
    return this.loading;
  }

  private async load(): Promise<void> {
    const state = foldStream(signingKeyDecider, await this.store.readStream(SIGNING_KEYS_STREAM));
    for (const key of state.keys)
      if (!this.publicKeys.has(key.kid)) this.publicKeys.set(key.kid, createPublicKey({ key: key.publicJwk as never, format: 'jwk' }));
    this.state = state;
    const active = activeSigningKey(state);
    if (!active) {
      this.signingKey = null;
    } else if (this.signingKey?.kid !== active.kid) {
      // Dropped before the read: if the key file cannot be read (corrupt, EACCES after it was
      // replaced), the exchange answers 503 rather than signing with the key the ledger retired.
      this.signingKey = null;
      let keys;
      try {
        keys = readSigningKeys(this.config.accessTokens.signingKeyFile, (m) => this.logger.warn(m));
      } catch (error) {
        this.logger.error(
          `the active signing key ${active.kid} could not be read from ${this.config.accessTokens.signingKeyFile} (${(error as Error).message}): access tokens cannot be issued here until it can`,
        );
        throw error;
      }
      const privateJwk = keys.find((k) => k.kid === active.kid);
      this.signingKey = privateJwk ? { kid: active.kid, key: createPrivateKey({ key: privateJwk as never, format: 'jwk' }) } : null;
      if (!privateJwk)
        this.logger.error(
          `the active signing key ${active.kid} is not in ${this.config.accessTokens.signingKeyFile}: access tokens cannot be issued here: share SIGNING_KEY_FILE between replicas, or run \`ledger keys rotate\``,
        );
    }
  }

  /**
   * At start: with no key recorded yet (a new ledger), or with a key in the file the ledger has not
   * recorded (an operator replaced the file), that key (or a new one) starts signing. A recorded
   * active key whose private half this replica lacks is never rotated away here: another replica
   * may hold it (SIGNING_KEY_FILE is to be shared), and rotating would take signing from that one.
   */
  private async ensureActiveKey(): Promise<void> {
    if (this.signingKey) return;
    const recorded = new Set(this.state.keys.map((k) => k.kid));
    const unrecorded = readSigningKeys(this.config.accessTokens.signingKeyFile)
      .filter((k) => !recorded.has(k.kid))
      .at(-1);
    if (activeSigningKey(this.state) && !unrecorded) return;
    const activated = await activateSigningKey(this.store, {
      keyFile: this.config.accessTokens.signingKeyFile,
      caller: { kind: 'system', id: 'signing-key' },
      context: systemContext('signing-key'),
      maxTokenLifetimeSeconds: this.config.accessTokens.ttlSeconds,
      key: unrecorded,
      // A new ledger: only if no replica recorded its key in the meantime.
      onlyIfNone: unrecorded === undefined,
    });
    if (activated) this.logger.log(`signing access tokens with key ${activated.kid}${activated.retired ? ` (retired ${activated.retired.kid})` : ''}`);
    await this.reload();
  }
}
