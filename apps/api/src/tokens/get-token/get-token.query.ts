export class GetTokenQuery {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
  ) {}
}
