import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['45s', 45],
    ['30m', 1800],
    ['24h', 86_400],
    ['90d', 7_776_000],
    ['1y', 31_536_000],
    ['3600', 3600],
    ['0', 0],
    [120, 120],
  ])('reads %p as %p seconds', (input, seconds) => expect(parseDuration(input)).toBe(seconds));

  it.each(['', '1w', '-5s', '1.5h', 'h', '24 hours', '1e3', -1, 1.5, Number.NaN])('refuses %p', (input) => expect(parseDuration(input)).toBeNull());
});
