'use strict';
/**
 * Prints one fresh root token value (`tlr_…`) for LEDGER_BOOTSTRAP_TOKEN:
 *   export LEDGER_BOOTSTRAP_TOKEN=$(npm run --silent root-token)
 * Self-contained so it runs without a build. It mirrors formatTokenValue in
 * libs/token-domain/src/token-value.ts (docs/api.md, "Token format");
 * test/root-token-script.unit.spec.ts holds the two together.
 */
const { randomBytes } = require('node:crypto');
const { crc32 } = require('node:zlib');

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_BYTES = 32;
const BODY_LENGTH = 43;
const CHECK_LENGTH = 6;

function toBase62(value, width) {
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(width, '0');
}

/** `tlr_` + the 32 bytes in base62 + the CRC32 of everything before it in base62. */
function formatRootToken(bytes) {
  if (bytes.length !== BODY_BYTES) throw new Error(`token body needs ${BODY_BYTES} random bytes`);
  const head = `tlr_${toBase62(BigInt('0x' + Buffer.from(bytes).toString('hex')), BODY_LENGTH)}`;
  return head + toBase62(BigInt(crc32(head)), CHECK_LENGTH);
}

module.exports = { formatRootToken };

if (require.main === module) process.stdout.write(`${formatRootToken(randomBytes(BODY_BYTES))}\n`);
