import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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
  return (parsed.keys as unknown[]).filter(
    (k): k is PrivateSigningKey => typeof k === 'object' && k !== null && 'kid' in k && typeof k.kid === 'string' && 'd' in k && typeof k.d === 'string',
  );
}

/**
 * Adds a key to the file, written whole to a temporary file (0600 from its creation) and renamed
 * over it, under the key file's lock: the CLI, the API's rotate route and other replicas sharing
 * SIGNING_KEY_FILE each read, add and write, and an unserialized pair would drop a private key.
 */
export function addSigningKey(file: string, key: PrivateSigningKey): void {
  mkdirSync(dirname(file), { recursive: true });
  withKeyFileLock(file, () => {
    const keys = [...readSigningKeys(file).filter((k) => k.kid !== key.kid), key];
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 });
    renameSync(temporary, file);
  });
}

/** An update holds the lock for milliseconds: one older than this was left by a process that died. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 15_000;
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * `<file>.lock`, created with O_EXCL (atomic on local file systems, and on NFSv3+): whoever
 * creates it holds it. Synchronous, as the update it guards is; an update is short, so waiting
 * blocks briefly. A lock older than STALE_LOCK_MS is taken over.
 */
function withKeyFileLock<T>(file: string, update: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) unlinkSync(lock);
    } catch (error) {
      // Released (or taken over) between our attempt and the stat: try again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`signing key file ${file} is locked (${lock}) by another process; retry, or remove the lock file if no process holds it`);
    sleepSync(10 + Math.floor(Math.random() * 20));
  }
  try {
    return update();
  } finally {
    unlinkSync(lock);
  }
}
