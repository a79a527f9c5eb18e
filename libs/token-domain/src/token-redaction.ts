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

export function holdsTokenValue(text: string): boolean {
  return TOKEN_VALUE_IN_TEXT.test(text);
}

/** The text with every token-like run replaced by `[redacted]`. */
export function redactTokenValues(text: string): string {
  return text.replace(TOKEN_LIKE, REDACTED);
}
