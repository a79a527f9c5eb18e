import { randomBytes } from 'node:crypto';
import { formatTokenValue, hashTokenValue, parseTokenValue, secretHashDigest, tokenHint, tokenValueDigest } from './token-value';

describe('token value', () => {
  it('has the tl{t}_ prefix, a 43-char base62 body and a 6-char check', () => {
    const value = formatTokenValue('project', randomBytes(32));
    expect(value).toMatch(/^tlp_[0-9A-Za-z]{49}$/);
    expect(parseTokenValue(value)).toEqual({ type: 'project' });
  });

  it.each([
    ['integration', 'tli_'],
    ['personal', 'tlu_'],
    ['root', 'tlr_'],
  ] as const)('uses the type letter of %s', (type, prefix) => {
    const value = formatTokenValue(type, randomBytes(32));
    expect(value.startsWith(prefix)).toBe(true);
    expect(parseTokenValue(value)).toEqual({ type });
  });

  it('encodes the extreme bodies at full width', () => {
    expect(formatTokenValue('project', Buffer.alloc(32, 0))).toHaveLength(53);
    expect(parseTokenValue(formatTokenValue('project', Buffer.alloc(32, 0xff)))).toEqual({ type: 'project' });
  });

  it('rejects a single changed character through the checksum', () => {
    const value = formatTokenValue('project', randomBytes(32));
    const i = 10;
    const swapped = value.slice(0, i) + (value[i] === 'a' ? 'b' : 'a') + value.slice(i + 1);
    expect(parseTokenValue(swapped)).toBeNull();
  });

  it('rejects a token whose type letter was changed', () => {
    const value = formatTokenValue('project', randomBytes(32));
    expect(parseTokenValue('tlr_' + value.slice(4))).toBeNull();
  });

  it('rejects anything but a string, even a valid value inside an array or a String object (it would pass the pattern once stringified)', () => {
    const value = formatTokenValue('project', randomBytes(32));
    for (const v of [[value], new String(value), { toString: () => value }, 53, null, undefined]) expect(parseTokenValue(v)).toBeNull();
  });

  it.each(['', 'tlp_', 'tlx_' + 'a'.repeat(49), 'tlp_' + 'a'.repeat(48), 'Bearer tlp_abc'])('rejects %p', (v) => expect(parseTokenValue(v)).toBeNull());

  it('stores the SHA-256 of the whole value and shows only a hint', () => {
    const value = formatTokenValue('integration', randomBytes(32));
    expect(hashTokenValue(value)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTokenValue(value)).not.toContain(value.slice(4, 20));
    expect(tokenHint(value)).toBe(`tli_…${value.slice(-4)}`);
  });

  it('digests a value to the 32 bytes its stored hex secret hash holds (the index key)', () => {
    const value = formatTokenValue('project', randomBytes(32));
    const digest = tokenValueDigest(value);
    expect(digest).toHaveLength(32);
    expect(Buffer.from(digest, 'latin1').toString('hex')).toBe(hashTokenValue(value));
    expect(secretHashDigest(hashTokenValue(value))).toBe(digest);
    expect(tokenValueDigest(value.slice(0, -1) + (value.endsWith('a') ? 'b' : 'a'))).not.toBe(digest);
  });
});
