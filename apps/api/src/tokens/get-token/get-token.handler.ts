import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@ledger/event-store';
import { tokenAsOf, TokenListQueries } from '@ledger/projections';
import { tokenStreamId } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { parseAsOf } from '../as-of/as-of';
import { toTokenView, type TokenView } from '../token-view';
import { GetTokenQuery } from './get-token.query';

@QueryHandler(GetTokenQuery)
export class GetTokenHandler implements IQueryHandler<GetTokenQuery, TokenView> {
  constructor(
    private readonly queries: TokenListQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ projectId, tokenId, asOf: asOfText }: GetTokenQuery): Promise<TokenView> {
    const asOf = parseAsOf(asOfText);
    if (asOf) {
      // One token's past is its own stream folded up to the instant: no global replay needed.
      const row = tokenAsOf(await this.store.readStream(tokenStreamId(tokenId)), asOf);
      if (!row || row.projectId !== projectId) throw ApiError.notFound(`token ${tokenId} did not exist in this project at ${asOf.toISOString()}`);
      return toTokenView(row, asOf);
    }
    const row = this.queries.get(projectId, tokenId);
    if (!row) throw ApiError.notFound(`token ${tokenId} does not exist in this project`);
    return toTokenView(row);
  }
}
