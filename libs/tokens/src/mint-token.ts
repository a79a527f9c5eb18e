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

/**
 * 16 bytes whose first six are the time in milliseconds (big-endian) and the other ten random:
 * ids minted later sort after earlier ones (base62 keeps the order). Every read model and store
 * indexes tokens by id, and an id that sorts by time lands at the end of each index rather than
 * on a random page, which every commit would write again (docs/performance.md, "Ids that sort by
 * time"). The id is not a secret and the time it shows is the token's createdAt; 80 random bits
 * keep ids minted in the same millisecond apart, and the create's append refuses a clash anyway.
 */
export function timeOrderedIdBytes(now = Date.now()): Buffer {
  const bytes = freshBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  return bytes;
}

export function mintToken(type: TokenType): MintedToken {
  const value = formatTokenValue(type, freshBytes(32));
  return { tokenId: formatTokenId(timeOrderedIdBytes()), value, secretHash: hashTokenValue(value), hint: tokenHint(value) };
}
