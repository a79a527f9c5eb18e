import { DURATION_FORMAT_HINT, parseDuration } from './duration';

/** The edges of the duration format (docs/api.md, "Durations") that the basic cases leave open. */
describe('parseDuration at its edges', () => {
  it.each([
    [0, 0],
    ['0s', 0],
    ['1m', 60],
    ['1h', 3600],
    ['1d', 86_400],
    ['2y', 2 * 365 * 86_400],
    [' 45s ', 45],
  ])('reads %p as %p seconds', (input, seconds) => expect(parseDuration(input)).toBe(seconds));

  it.each(['x45s', '45sx', '45 s', 's45', '12345678901', '4S', '1m1s', '0x10', Number.MAX_SAFE_INTEGER + 1, Number.POSITIVE_INFINITY])('refuses %p', (input) =>
    expect(parseDuration(input)).toBeNull(),
  );

  it('the hint that bad input is answered with lists the forms', () =>
    expect(DURATION_FORMAT_HINT).toBe('a duration like "45s", "30m", "24h", "90d", "1y" or a number of seconds'));
});
