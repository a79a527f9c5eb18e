export class TokenHistoryQuery {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
  ) {}
}
