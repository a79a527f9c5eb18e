import { hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Token values look like `tl{t}_{body}{check}` (docs/api.md, "Token format"): GitHub-style
 * prefixes let secret scanners find leaked tokens, and the CRC32 check lets verification reject
 * typos and garbage without touching the store.
 */
export type TokenType = 'project' | 'integration' | 'personal' | 'root';

export const TOKEN_TYPE_LETTERS: Record<TokenType, string> = {
  project: 'p',
  integration: 'i',
  personal: 'u',
  root: 'r',
};

const TYPE_BY_LETTER: Record<string, TokenType> = { p: 'project', i: 'integration', u: 'personal', r: 'root' };
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_BYTES = 32;
const BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECK_LENGTH = 6; // ceil(32 / log2(62))
const TOKEN_PATTERN = /^tl([piur])_([0-9A-Za-z]{49})$/;

function toBase62(value: bigint, width: number): string {
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(width, '0');
}

/** Base62 of the CRC32, in plain number arithmetic (it is < 2^32): this runs on every verification. */
function checksum(prefixAndBody: string): string {
  let n = crc32(prefixAndBody);
  let out = '';
  for (let i = 0; i < CHECK_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** Builds a token value from 32 random bytes supplied by the caller (the domain draws no randomness). */
export function formatTokenValue(type: TokenType, randomBytes: Uint8Array): string {
  if (randomBytes.length !== BODY_BYTES) throw new Error(`token body needs ${BODY_BYTES} random bytes`);
  const body = toBase62(BigInt('0x' + Buffer.from(randomBytes).toString('hex')), BODY_LENGTH);
  const head = `tl${TOKEN_TYPE_LETTERS[type]}_${body}`;
  return head + checksum(head);
}

/**
 * The token's type when the value is a well-formed string whose checksum matches, otherwise
 * null. Values come from bodies, headers and queries: an array would pass the pattern once
 * stringified, so anything but a string is refused first.
 */
export function parseTokenValue(value: unknown): { type: TokenType } | null {
  if (typeof value !== 'string') return null;
  const match = TOKEN_PATTERN.exec(value);
  if (!match) return null;
  const head = value.slice(0, value.length - CHECK_LENGTH);
  if (checksum(head) !== value.slice(-CHECK_LENGTH)) return null;
  return { type: TYPE_BY_LETTER[match[1]] };
}

/**
 * What the ledger stores instead of the value: SHA-256 hex of the whole token. The one-shot
 * crypto.hash, not createHash: no Hash object per call (this runs on every verification).
 */
export function hashTokenValue(value: string): string {
  return hash('sha256', value, 'hex');
}

/**
 * The same SHA-256 as its 32 bytes in a latin1 string: the key the verification index is held
 * by, without a round trip through hex on every verification.
 */
export function tokenValueDigest(value: string): string {
  return hash('sha256', value, 'binary'); // 'binary' is Node's alias of latin1
}

/** The digest (tokenValueDigest) of a stored hex secret hash. */
export function secretHashDigest(secretHash: string): string {
  return Buffer.from(secretHash, 'hex').toString('latin1');
}

/** A short display hint such as `tlp_…Ab3x`, safe to show and log. */
export function tokenHint(value: string): string {
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** The public, non-secret token id: `tok_` and 16 bytes in base62, fixed width, so that ids sort as their bytes do. */
export function formatTokenId(randomBytes: Uint8Array): string {
  return `tok_${toBase62(BigInt('0x' + Buffer.from(randomBytes).toString('hex')), 22)}`;
}

export const TOKEN_ID_PATTERN = /^tok_[0-9A-Za-z]{1,40}$/;
