/**
 * What `ledger` exits with, so that scripts can tell "retry later" from "fix the request" from
 * "the token is gone". Listed in `ledger --help` and docs/cli.md.
 */
export const EXIT = {
  ok: 0,
  /** The command could not run: bad arguments, no data directory, server unreachable or 5xx. */
  failed: 1,
  /** audit verify: the ledger or the export does not verify. */
  verificationFailed: 2,
  /** 401 or 403: the token is missing, invalid, revoked, expired or lacks the scope. */
  unauthorized: 3,
  /** 404: no such token in that project. */
  notFound: 4,
  /** 400: the ledger refused the request as invalid (a wider scope, a later expiry, a bad value). */
  invalid: 5,
  /** 409: the token's state does not allow it (revoked, expired, already rotated, changed meanwhile). */
  conflict: 6,
  /** 429 or 503: rate limited or not ready; retry later. */
  retryLater: 7,
} as const;

/** The exit code for an HTTP error status the server answered. */
export function exitCodeForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT.unauthorized;
  if (status === 404) return EXIT.notFound;
  if (status === 400 || status === 413 || status === 415) return EXIT.invalid;
  if (status === 409) return EXIT.conflict;
  if (status === 429 || status === 503) return EXIT.retryLater;
  return EXIT.failed;
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  the command could not run: bad arguments, no ledger in the data directory,
     server unreachable or failing (5xx); one line on stderr says why
  2  audit verify: the ledger or the export does not verify
  3  the server refused the token (401: missing, invalid, revoked or expired;
     403: it lacks the scope, or cannot act on that token)
  4  no such token in that project (404)
  5  the ledger refused the request as invalid (400): e.g. a scope the token
     does not hold (widening is a new token), a later expiry (extending is a rotation)
  6  the token's state does not allow it (409): revoked, expired, already rotated
  7  rate limited or not ready (429, 503): retry later

Environment: LEDGER_DATA_DIR (--data-dir), LEDGER_SERVER (--server, when no --data-dir
is given), LEDGER_TOKEN (--token).`;
