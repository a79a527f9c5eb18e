import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { formatTokenValue, parseTokenValue } from '@ledger/token-domain';

const SCRIPT = join(__dirname, '..', 'scripts', 'root-token.js');
// A plain CommonJS script without type declarations.
const { formatRootToken } = require(SCRIPT) as { formatRootToken: (bytes: Uint8Array) => string };

describe('scripts/root-token.js (npm run --silent root-token)', () => {
  it('prints one fresh root token, and nothing else, that parses as type root', () => {
    const printed = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(printed).toMatch(/^tlr_[0-9A-Za-z]{49}\n$/);
    expect(parseTokenValue(printed.trim())).toEqual({ type: 'root' });
  });

  it('prints a different value each time', () => {
    const run = () => execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(run()).not.toEqual(run());
  });

  it.each([
    ['all-zero', Buffer.alloc(32, 0)],
    ['all-ones', Buffer.alloc(32, 0xff)],
    ['random', randomBytes(32)],
    ['random', randomBytes(32)],
  ])('formats %s bytes exactly as the domain formatTokenValue does', (_, bytes) => {
    expect(formatRootToken(bytes)).toBe(formatTokenValue('root', bytes));
  });

  it('refuses a body of the wrong size', () => {
    expect(() => formatRootToken(randomBytes(31))).toThrow('32 random bytes');
  });
});
