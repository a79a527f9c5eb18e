/**
 * What a token value looks like to a log scrubber: its type prefix (`tlp_`, `tli_`, `tlu_`, `tlr_`,
 * the underscore possibly percent-encoded) and a run of base62. Eight characters are enough:
 * a value cut short, mistyped or with a wrong checksum is still most of a secret, and nothing
 * else the ledger writes starts that way (ids are `tok_…`, hints `tlp_…Ab3x` with an ellipsis).
 */
const TOKEN_LIKE = /tl[piur](?:_|%5[Ff])[0-9A-Za-z]{8,}/g;

export const REDACTED = '[redacted]';

/**
 * Whether text a client asks the ledger to keep (a name, a reason, metadata) holds a token value:
 * the prefix and at least half a value's 49 characters. Stricter than the log scrubber's eight,
 * so that a name such as `tlp_migration` stays a name; the scrubber still redacts it from logs.
 */
const TOKEN_VALUE_IN_TEXT = /tl[piur](?:_|%5[Ff])[0-9A-Za-z]{24,}/;

/**
 * Also a signed JWT (an access token is a live bearer credential until its `exp`): the log
 * scrubber's pattern, so that what is refused here and what is redacted from logs agree.
 */
export function holdsTokenValue(text: string): boolean {
  if (TOKEN_VALUE_IN_TEXT.test(text)) return true;
  if (!text.includes('eyJ')) return false;
  JWT_LIKE.lastIndex = 0;
  return JWT_LIKE.test(text);
}

/**
 * A signed JWT (a short-lived access token is a bearer credential too): base64url JSON header and
 * payload (`eyJ…`), and a signature. An unsigned one (`alg: none`) ends at the second dot and is
 * no credential.
 */
const JWT_LIKE = /eyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,}/g;

/** The text with every token-like run (a ledger token value or a signed JWT) replaced by `[redacted]`. */
export function redactTokenValues(text: string): string {
  const redacted = text.replace(TOKEN_LIKE, REDACTED);
  // Most log lines hold no JWT: the regular expression runs only where one could start.
  return redacted.includes('eyJ') ? redacted.replace(JWT_LIKE, REDACTED) : redacted;
}
