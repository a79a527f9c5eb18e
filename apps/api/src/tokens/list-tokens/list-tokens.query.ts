import type { ListTokensRequest } from './list-tokens.request.dto';

export class ListTokensQuery {
  constructor(
    readonly projectId: string,
    readonly request: ListTokensRequest,
  ) {}
}
