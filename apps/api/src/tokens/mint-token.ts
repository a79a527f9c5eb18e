import { randomBytes } from 'node:crypto';
import { formatTokenId, formatTokenValue, hashTokenValue, tokenHint, type TokenType } from '@ledger/token-domain';

/** A fresh token: the value goes to the caller once; only its hash and hint are recorded. */
export interface MintedToken {
  tokenId: string;
  value: string;
  secretHash: string;
  hint: string;
}

export function mintToken(type: TokenType): MintedToken {
  const value = formatTokenValue(type, randomBytes(32));
  return { tokenId: formatTokenId(randomBytes(16)), value, secretHash: hashTokenValue(value), hint: tokenHint(value) };
}
