/**
 * Why a command was refused. `kind` tells the edge which status to answer
 * (not_found → 404, conflict → 409, invalid → 400,
 * forbidden → 403); `code` is stable for clients.
 */
export type TokenErrorKind = 'not_found' | 'conflict' | 'invalid' | 'forbidden';

export class TokenCommandError extends Error {
  constructor(
    readonly kind: TokenErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TokenCommandError';
  }
}

export const tokenNotFound = (tokenId: string) => new TokenCommandError('not_found', 'token_not_found', `token ${tokenId} does not exist in this project`);
