import { randomFillSync } from 'node:crypto';
import { formatTokenId, formatTokenValue, hashTokenValue, tokenHint, type TokenType } from '@ledger/token-domain';

/** A fresh token: the value goes to the caller once; only its hash and hint are recorded. */
export interface MintedToken {
  tokenId: string;
  value: string;
  secretHash: string;
  hint: string;
}

// One getrandom call per 128 tokens instead of two per token: minting is on the create path.
// Every byte handed out is fresh CSPRNG output and is used once.
const POOL_SIZE = 48 * 128;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

function freshBytes(length: number): Buffer {
  if (offset + length > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + length));
  pool.fill(0, offset, offset + length);
  offset += length;
  return bytes;
}

export function mintToken(type: TokenType): MintedToken {
  const value = formatTokenValue(type, freshBytes(32));
  return { tokenId: formatTokenId(freshBytes(16)), value, secretHash: hashTokenValue(value), hint: tokenHint(value) };
}
