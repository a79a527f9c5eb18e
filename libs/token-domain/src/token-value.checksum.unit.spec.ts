import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { TOKEN_ID_PATTERN, formatTokenId, formatTokenValue, hashTokenValue, parseTokenValue, type TokenType } from './token-value';

/**
 * The format pinned against the contract (docs/api.md, "Token format") rather than against
 * itself: a round trip through formatTokenValue and parseTokenValue passes with any checksum or
 * any body encoding, as long as both sides share it. Values are generated, never written out.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const fromBase62 = (text: string): bigint => [...text].reduce((n, c) => n * 62n + BigInt(DIGITS.indexOf(c)), 0n);
const toBase62 = (n: bigint, width: number): string => {
  let out = '';
  for (let i = 0; i < width; i++, n /= 62n) out = DIGITS[Number(n % 62n)] + out;
  return out;
};
const bytesOf = (n: bigint, length: number): Buffer => Buffer.from(n.toString(16).padStart(length * 2, '0'), 'hex');
/** The contract's check: CRC32 of everything before it, in base62, 6 characters. */
const contractCheck = (head: string): string => toBase62(BigInt(crc32(head)), 6);

describe('token value against the contract', () => {
  it.each(['project', 'integration', 'personal', 'root'] as TokenType[])('a %s value ends with the base62 CRC32 of what precedes it', (type) => {
    for (let i = 0; i < 50; i++) {
      const value = formatTokenValue(type, randomBytes(32));
      expect(value.slice(-6)).toBe(contractCheck(value.slice(0, -6)));
    }
  });

  it('the body is the 32 random bytes in base62, 43 characters', () => {
    for (const body of [randomBytes(32), Buffer.alloc(32, 0), Buffer.alloc(32, 0xff), Buffer.from([...Array(32).keys()])]) {
      const value = formatTokenValue('project', body);
      expect(value.slice(4, 47)).toHaveLength(43);
      expect(bytesOf(fromBase62(value.slice(4, 47)), 32)).toEqual(body);
    }
    expect(formatTokenValue('project', Buffer.alloc(32, 0)).slice(4, 47)).toBe('0'.repeat(43));
  });

  it('refuses a body of any other size', () => {
    for (const size of [0, 31, 33]) expect(() => formatTokenValue('project', randomBytes(size))).toThrow('token body needs 32 random bytes');
  });

  it('accepts a value whose check is the contract one, refuses every other check', () => {
    const head = formatTokenValue('integration', randomBytes(32)).slice(0, -6);
    expect(parseTokenValue(head + contractCheck(head))).toEqual({ type: 'integration' });
    const check = contractCheck(head);
    for (let i = 0; i < 6; i++) {
      const other = check.slice(0, i) + (check[i] === '0' ? '1' : '0') + check.slice(i + 1);
      expect(parseTokenValue(head + other)).toBeNull();
    }
  });

  it('the value must be the whole string: a valid token inside a longer one is refused', () => {
    const value = formatTokenValue('project', randomBytes(32));
    // Checks that match their whole string, so only the anchors can refuse them.
    const longer = value + contractCheck(value);
    const prefixed = 'x' + value.slice(0, -6) + contractCheck('x' + value.slice(0, -6));
    expect(parseTokenValue(longer)).toBeNull();
    expect(parseTokenValue(prefixed)).toBeNull();
    expect(parseTokenValue(`Bearer ${value}`)).toBeNull();
    expect(parseTokenValue(`${value}\n`)).toBeNull();
  });

  it('stores the hex SHA-256 of the whole value', () => {
    // The FIPS 180-2 test vector: SHA-256("abc").
    expect(hashTokenValue('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('token id', () => {
  it('is tok_ and the 16 random bytes in base62, 22 characters', () => {
    for (const bytes of [randomBytes(16), Buffer.alloc(16, 0), Buffer.alloc(16, 0xff)]) {
      const id = formatTokenId(bytes);
      expect(id).toMatch(/^tok_[0-9A-Za-z]{22}$/);
      expect(bytesOf(fromBase62(id.slice(4)), 16)).toEqual(bytes);
      expect(TOKEN_ID_PATTERN.test(id)).toBe(true);
    }
    expect(formatTokenId(Buffer.alloc(16, 0))).toBe('tok_' + '0'.repeat(22));
  });

  it.each(['tok_a', 'tok_' + 'Z'.repeat(40)])('TOKEN_ID_PATTERN accepts %p', (id) => expect(TOKEN_ID_PATTERN.test(id)).toBe(true));
  it.each(['', 'tok_', 'tok_' + 'a'.repeat(41), 'tok-abc', 'xtok_abc', 'tok_abc!', 'tok_abc ', 'TOK_abc'])('TOKEN_ID_PATTERN refuses %p', (id) =>
    expect(TOKEN_ID_PATTERN.test(id)).toBe(false),
  );
});
