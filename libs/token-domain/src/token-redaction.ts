/**
 * What a token value looks like to a log scrubber: its type prefix (`tlp_`, `tli_`, `tlu_`, `tlr_`,
 * the underscore possibly percent-encoded) and a run of base62. Eight characters are enough:
 * a value cut short, mistyped or with a wrong checksum is still most of a secret, and nothing
 * else the ledger writes starts that way (ids are `tok_…`, hints `tlp_…Ab3x` with an ellipsis).
 */
const TOKEN_LIKE = /tl[piur](?:_|%5[Ff])[0-9A-Za-z]{8,}/g;

export const REDACTED = '[redacted]';

/** Whether the text holds a token-like run (what redactTokenValues would replace). */
export function holdsTokenValue(text: string): boolean {
  return new RegExp(TOKEN_LIKE.source).test(text);
}

/** The text with every token-like run replaced by `[redacted]`. */
export function redactTokenValues(text: string): string {
  return text.replace(TOKEN_LIKE, REDACTED);
}
