import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The one algorithm access tokens are signed with: ECDSA P-256 (RFC 7518), which every JOSE library and gateway verifies. */
export const SIGNING_ALGORITHM = 'ES256';

/** A private signing key as the key file holds it (a JWK with `d`); never written anywhere else. */
export type PrivateSigningKey = JWK & { kid: string; d: string };

/** A new key pair; its kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(): Promise<{ privateJwk: PrivateSigningKey; publicJwk: JWK }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const { d, ...publicJwk } = jwk;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateJwk: { ...jwk, kid, alg: SIGNING_ALGORITHM, d: d as string }, publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM } };
}

/** The public half of a private JWK: the members of an EC public key only. */
export const publicHalf = (key: PrivateSigningKey): JWK => ({ kty: key.kty, crv: key.crv, x: key.x, y: key.y, kid: key.kid, alg: key.alg });

/**
 * The private keys, oldest first. The file is `{"keys": [JWK, …]}`, owner-only (0600): in the
 * data directory by default, or SIGNING_KEY_FILE, which replicas share. Missing: no keys yet.
 */
export function readSigningKeys(file: string, warn: (message: string) => void = () => undefined): PrivateSigningKey[] {
  if (!existsSync(file)) return [];
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    try {
      chmodSync(file, 0o600);
    } catch {
      warn(`signing key file ${file} is readable by others (mode ${mode.toString(8)}) and could not be made owner-only`);
    }
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
  if (!Array.isArray(parsed.keys)) throw new Error(`signing key file ${file} does not hold {"keys": [...]}`);
  return parsed.keys.filter((k): k is PrivateSigningKey => typeof k === 'object' && k !== null && typeof k.kid === 'string' && typeof k.d === 'string');
}

/** Adds a key to the file, written whole to a temporary file (0600 from its creation) and renamed over it. */
export function addSigningKey(file: string, key: PrivateSigningKey): void {
  const keys = [...readSigningKeys(file).filter((k) => k.kid !== key.kid), key];
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
}
