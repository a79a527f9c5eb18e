import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TokenListQueries } from '@ledger/projections';
import { toTokenView, type TokenPageView } from '../token-view';
import { ListTokensQuery } from './list-tokens.query';

@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery, TokenPageView> {
  constructor(private readonly queries: TokenListQueries) {}

  async execute({ projectId, request }: ListTokensQuery): Promise<TokenPageView> {
    const now = new Date();
    const page = this.queries.list({
      projectId,
      type: request.type,
      status: request.status ?? 'all',
      order: request.order ?? 'createdAt',
      direction: request.direction ?? 'ASC',
      limit: request.limit ?? 50,
      cursor: request.cursor,
      now,
    });
    return { items: page.items.map((row) => toTokenView(row, now)), nextCursor: page.nextCursor };
  }
}
