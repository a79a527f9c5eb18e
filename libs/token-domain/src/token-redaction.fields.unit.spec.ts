import { randomBytes } from 'node:crypto';
import { holdsTokenValue, redactTokenValues } from './token-redaction';
import { formatTokenValue } from './token-value';

describe('a token value in text a client asks the ledger to keep', () => {
  const value = formatTokenValue('project', randomBytes(32));

  it('is found whole, cut to half a value, or percent-encoded, anywhere in the text', () => {
    expect(holdsTokenValue(value)).toBe(true);
    expect(holdsTokenValue(`deploy key ${value} (do not share)`)).toBe(true);
    expect(holdsTokenValue(value.slice(0, 4 + 24))).toBe(true);
    expect(holdsTokenValue(value.replace('_', '%5F'))).toBe(true);
  });

  it('leaves names that only start like one alone, which the log scrubber still redacts', () => {
    expect(holdsTokenValue(value.slice(0, 4 + 23))).toBe(false);
    expect(holdsTokenValue('tlp_migration')).toBe(false);
    expect(holdsTokenValue('tlp_…Ab3x')).toBe(false);
    expect(redactTokenValues('tlp_migration')).toBe('[redacted]');
  });
});
