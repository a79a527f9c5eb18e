import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pageTokenRows, TokenListQueries, type TokenListFilter, type TokenPage } from '@ledger/projections';
import { parseAsOf } from '../as-of/as-of';
import { AsOfSnapshots } from '../as-of/as-of-snapshots';
import { toTokenView, type TokenPageView } from '../token-view';
import { ListTokensQuery } from './list-tokens.query';

@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery, TokenPageView> {
  constructor(
    private readonly queries: TokenListQueries,
    private readonly snapshots: AsOfSnapshots,
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

  /** The read model only knows the present: the past is a replay of the log up to `asOf` (from a snapshot). */
  private async listAsOf(filter: TokenListFilter, asOf: Date): Promise<TokenPage> {
    return pageTokenRows(await this.snapshots.replay(asOf, filter.projectId), filter);
  }
}
