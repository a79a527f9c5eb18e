import fc from 'fast-check';
import { parseInstant } from './instant';

describe('parseInstant (strict RFC 3339)', () => {
  it.each([
    ['2030-01-01T10:00:00Z', '2030-01-01T10:00:00.000Z'],
    ['2030-01-01t10:00:00z', '2030-01-01T10:00:00.000Z'],
    ['2030-01-01T12:00:00.5+02:00', '2030-01-01T10:00:00.500Z'],
    ['2030-01-01T05:30:00.123456789-04:30', '2030-01-01T10:00:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59.999Z', '2000-02-29T23:59:59.999Z'],
    ['2030-01-01T00:00:00.29Z', '2030-01-01T00:00:00.290Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %p as %p', (text, iso) => expect(parseInstant(text)?.toISOString()).toBe(iso));

  it.each([
    '2030-W01',
    '2020-W01',
    '2030-100',
    '2030-01-01T10',
    '20300101',
    '2030-01-01T10:00:00,5Z',
    '2030-01-01',
    '2030-01-01T10:00Z',
    '2030-01-01T10:00:00',
    '2030-01-01 10:00:00Z',
    '2030-13-01T00:00:00Z',
    '2030-00-01T00:00:00Z',
    '2030-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2030-04-31T00:00:00Z',
    '2030-01-00T00:00:00Z',
    '2030-01-01T24:00:00Z',
    '2030-01-01T10:60:00Z',
    '2030-01-01T10:00:60Z',
    '2030-01-01T10:00:00+24:00',
    '2030-01-01T10:00:00+02:60',
    '2030-01-01T10:00:00+0200',
    '2030-01-01T10:00:00.Z',
    '2030-01-01T10:00:00.1234567890Z',
    '+101960-01-01T00:00:00Z',
    ' 2030-01-01T10:00:00Z',
    '2030-01-01T10:00:00Z\n',
    '',
  ])('refuses %p', (text) => expect(parseInstant(text)).toBeNull());

  it('reads back every instant of years 0–9999 that toISOString writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseInstant(iso)?.getTime()).toBe(ms);
      }),
    );
  });

  it('never throws and answers null or a valid date for any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const instant = parseInstant(text);
        expect(instant === null || !Number.isNaN(instant.getTime())).toBe(true);
      }),
    );
  });
});
