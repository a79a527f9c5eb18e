import { randomBytes } from 'node:crypto';
import { formatTokenValue, tokenHint, type TokenType } from './token-value';
import { redactTokenValues } from './token-redaction';

describe('redactTokenValues', () => {
  it.each<TokenType>(['project', 'integration', 'personal', 'root'])('redacts a %s token wherever it stands in the text', (type) => {
    const value = formatTokenValue(type, randomBytes(32));
    expect(redactTokenValues(`Bearer ${value}`)).toBe('Bearer [redacted]');
    expect(redactTokenValues(`/v1/${value}/x?token=${value}&a=1`)).toBe('/v1/[redacted]/x?token=[redacted]&a=1');
    expect(redactTokenValues(`"${value}","${value}"`)).toBe('"[redacted]","[redacted]"');
    expect(redactTokenValues(value.replace('_', '%5F'))).toBe('[redacted]');
  });

  it('redacts a value cut short or with a wrong checksum too', () => {
    const value = formatTokenValue('project', randomBytes(32));
    expect(redactTokenValues(value.slice(0, 20))).toBe('[redacted]');
    expect(redactTokenValues(value.slice(0, -1) + '0')).toBe('[redacted]');
  });

  it('leaves token ids, hints and ordinary text alone', () => {
    const value = formatTokenValue('integration', randomBytes(32));
    const text = `tok_4TQhc1mbkVyTr3Lw0XkC9a ${tokenHint(value)} tlp_short the tlx_${'a'.repeat(49)} request completed`;
    expect(redactTokenValues(text)).toBe(text);
  });

  it('redacts a signed JWT (an access token), not an unsigned one', () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = `${part({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })}.${part({ sub: 'tok_a', exp: 1 })}`;
    const jwt = `${head}.${randomBytes(64).toString('base64url')}`;
    expect(redactTokenValues(`Bearer ${jwt} and more`)).toBe('Bearer [redacted] and more');
    expect(redactTokenValues(`${head}.`)).toBe(`${head}.`);
  });
});
