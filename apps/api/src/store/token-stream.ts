import { Inject, Injectable } from '@nestjs/common';
import type { LedgerConfig } from '@ledger/config';
import { foldStream, handleCommand, type CommandContext, type CommandResult, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { ProjectionTimeoutError, Projector, TokenListQueries } from '@ledger/projections';
import { tokenDecider, tokenStreamId, type TokenCommand, type TokenEvent, type TokenState } from '@ledger/token-domain';
import { ApiError } from '../http/api-error';
import { EVENT_STORE, LEDGER_CONFIG } from './ledger-store.tokens';
import { toTokenView, type TokenView } from '@ledger/tokens';

/** Runs token commands on their streams and reads the result back once the read model shows it. */
@Injectable()
export class TokenStream {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly projector: Projector,
    private readonly queries: TokenListQueries,
  ) {}

  execute(
    command: TokenCommand,
    context: CommandContext,
    options: { eventIds?: string[]; retries?: number; newStream?: boolean } = {},
  ): Promise<CommandResult<TokenEvent, TokenState>> {
    return handleCommand(this.store, tokenStreamId(command.data.tokenId), tokenDecider, command, context, {
      occurredAt: command.data.now,
      eventIds: options.eventIds,
      retries: options.retries,
      newStream: options.newStream,
    });
  }

  /** The token's current state, folded from its stream. */
  async state(tokenId: string): Promise<TokenState> {
    return foldStream(tokenDecider, await this.history(tokenId));
  }

  /** The token's recorded events, oldest first. */
  history(tokenId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(tokenStreamId(tokenId));
  }

  /** The token as the read model shows it once `position` is applied (read-your-writes). */
  async viewAfter(position: number | null, projectId: string, tokenId: string): Promise<TokenView> {
    if (position !== null) await this.waitForReadModel(position, tokenId);
    const row = this.queries.get(projectId, tokenId);
    if (!row) throw ApiError.notFound(`token ${tokenId} does not exist in this project`);
    return toTokenView(row);
  }

  /** 503 rather than a stale answer; the token id lets the caller find (or revoke) what was written. */
  private async waitForReadModel(position: number, tokenId: string): Promise<void> {
    try {
      await this.projector.waitFor(position, this.config.projectionWaitMs);
    } catch (error) {
      if (!(error instanceof ProjectionTimeoutError)) throw error;
      throw new ApiError(
        503,
        'not_caught_up',
        'the write is recorded but not yet visible here; read it again shortly',
        { tokenId, position },
        {
          'retry-after': '1',
        },
      );
    }
  }
}
