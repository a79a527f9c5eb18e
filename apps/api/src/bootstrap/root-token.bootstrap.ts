import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { LedgerConfig } from '@ledger/config';
import { hasTokenEvents, systemContext, type EventStore } from '@ledger/event-store';
import { createRootToken, formatTokenId, hashTokenValue, SYSTEM_PROJECT, tokenHint, TokenCommandError } from '@ledger/token-domain';
import { EVENT_STORE, LEDGER_CONFIG } from '../store/ledger-store.tokens';
import { mintToken, type MintedToken } from '@ledger/tokens';
import { TokenStream } from '../store/token-stream';

export const ANNOUNCE = Symbol('ANNOUNCE');
/** Where the one-time root token line goes: stdout, never the structured log. */
export type Announce = (line: string) => void;

/**
 * Makes sure an operator can get in: the LEDGER_BOOTSTRAP_TOKEN when given, otherwise on the
 * first start of an empty ledger a fresh root token, printed once.
 */
@Injectable()
export class RootTokenBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ANNOUNCE) private readonly announce: Announce,
    private readonly tokens: TokenStream,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.bootstrapToken) return this.ensureConfiguredRoot(this.config.bootstrapToken);
    if (await hasTokenEvents(this.store)) return;
    const minted = mintToken('root');
    await this.createRoot(minted);
    this.announce(`Root token (shown once): ${minted.value}`);
    this.logger.log(`created root token ${minted.tokenId} (${minted.hint})`);
  }

  /**
   * The id is derived from the value's hash, so every start (and every replica) targets the same
   * stream: the first creates it, later ones find it exists, and a revoked one stays revoked.
   */
  private async ensureConfiguredRoot(value: string): Promise<void> {
    const secretHash = hashTokenValue(value);
    const tokenId = formatTokenId(createHash('sha256').update(`bootstrap:${secretHash}`).digest().subarray(0, 16));
    try {
      await this.createRoot({ tokenId, value, secretHash, hint: tokenHint(value) });
      this.logger.log(`created root token ${tokenId} from LEDGER_BOOTSTRAP_TOKEN`);
    } catch (error) {
      if (!(error instanceof TokenCommandError && error.code === 'token_exists')) throw error;
    }
  }

  private async createRoot(minted: MintedToken): Promise<void> {
    const result = await this.tokens.execute(createRootToken(minted, new Date()), systemContext('bootstrap'));
    await this.tokens.viewAfter(result.position, SYSTEM_PROJECT, minted.tokenId);
  }
}
