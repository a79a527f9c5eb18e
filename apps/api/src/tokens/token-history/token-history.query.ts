export class TokenHistoryQuery {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
    /** Whether the caller holds audit:read there: otherwise client details and secret hashes are left out. */
    readonly full: boolean,
  ) {}
}
