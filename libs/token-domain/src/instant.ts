/**
 * Instants come in as RFC 3339 date-times only (`2030-01-01T10:00:00Z`, `…T10:00:00.5+02:00`):
 * ISO 8601's other forms (`2030-W01`, `2030-100`, `20300101`, `T10`, `,5`) pass a loose validator
 * and then read as nothing (`Invalid Date`) or as something else, so every date input of the API
 * goes through this one parser.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export const INSTANT_FORMAT_HINT = 'an RFC 3339 date-time such as "2030-01-01T10:00:00Z" or "2030-01-01T12:00:00.5+02:00"';

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number): number => [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

/** The instant, or null when the text is not a strict RFC 3339 date-time (leap seconds included: a Date cannot hold one). */
export function parseInstant(text: string): Date | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [fraction, zulu, sign, offsetHours, offsetMinutes] = match.slice(7);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = zulu ? 0 : Number(offsetHours) * 60 + Number(offsetMinutes);
  if (!zulu && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return null;
  // Milliseconds from the digits, not from a float (0.29 * 1000 is 289.99…); finer digits are cut.
  const ms = fraction ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0;
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute, second, ms);
  return new Date(instant.getTime() - (sign === '-' ? -offset : offset) * 60_000);
}
