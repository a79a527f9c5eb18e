import { parseInstant } from '@ledger/token-domain';

/** A failure the CLI reports as one line on stderr, with a non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `--as-of`, `--from`, `--to`: an RFC 3339 time (the API's one parser), or a clear error naming the option. */
export function parseTime(option: string, value: string): Date {
  const time = parseInstant(value);
  if (!time) throw new CliError(`${option} must be an ISO-8601 time such as 2026-03-01T00:00:00Z (got "${value}")`);
  return time;
}
