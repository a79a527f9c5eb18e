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

/** `--as-of`, `--from`, `--to`: an ISO-8601 time, or a clear error naming the option. */
export function parseTime(option: string, value: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new CliError(`${option} must be an ISO-8601 time such as 2026-03-01T00:00:00Z (got "${value}")`);
  }
  return time;
}
