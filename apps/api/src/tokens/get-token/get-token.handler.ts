import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TokenListQueries } from '@ledger/projections';
import { ApiError } from '../../http/api-error';
import { toTokenView, type TokenView } from '../token-view';
import { GetTokenQuery } from './get-token.query';

@QueryHandler(GetTokenQuery)
export class GetTokenHandler implements IQueryHandler<GetTokenQuery, TokenView> {
  constructor(private readonly queries: TokenListQueries) {}

  async execute({ projectId, tokenId }: GetTokenQuery): Promise<TokenView> {
    const row = this.queries.get(projectId, tokenId);
    if (!row) throw ApiError.notFound(`token ${tokenId} does not exist in this project`);
    return toTokenView(row);
  }
}
