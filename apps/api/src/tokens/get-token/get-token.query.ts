export class GetTokenQuery {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
    /** ISO time to answer for (a replay of the token's stream), or undefined for now. */
    readonly asOf?: string,
  ) {}
}
