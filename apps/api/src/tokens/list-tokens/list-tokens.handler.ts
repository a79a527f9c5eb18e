import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { readAllPages, type EventStore } from '@ledger/event-store';
import { pageTokenRows, replayTokens, TokenListQueries, type TokenListFilter, type TokenPage } from '@ledger/projections';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { parseAsOf } from '../as-of/as-of';
import { toTokenView, type TokenPageView } from '../token-view';
import { ListTokensQuery } from './list-tokens.query';

@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery, TokenPageView> {
  constructor(
    private readonly queries: TokenListQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ projectId, request }: ListTokensQuery): Promise<TokenPageView> {
    const asOf = parseAsOf(request.asOf);
    const now = asOf ?? new Date();
    const filter: TokenListFilter = {
      projectId,
      type: request.type,
      status: request.status ?? 'all',
      order: request.order ?? 'createdAt',
      direction: request.direction ?? 'ASC',
      limit: request.limit ?? 50,
      cursor: request.cursor,
      now,
    };
    const page = asOf ? await this.listAsOf(filter, asOf) : this.queries.list(filter);
    return { items: page.items.map((row) => toTokenView(row, now)), nextCursor: page.nextCursor };
  }

  /** The read model only knows the present: the past is a replay of the log up to `asOf`. */
  private async listAsOf(filter: TokenListFilter, asOf: Date): Promise<TokenPage> {
    return pageTokenRows(await replayTokens(readAllPages(this.store), asOf, filter.projectId), filter);
  }
}
