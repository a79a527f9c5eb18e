import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

/**
 * A real HTTP server on a loopback ephemeral port serving a JWKS made in the test, and a signer
 * of access tokens shaped like the ledger's (docs/access-tokens.md), for testing JwksVerifier.
 */
export interface JwksServer {
  url: string;
  issuer: string;
  kid: string;
  publicJwk: JWK;
  /** How many times the key set was fetched. */
  fetches: number;
  /** `serve` (200 with the key set) or `fail` (503). */
  mode: 'serve' | 'fail';
  /** An access token signed with the served key; `claims` and `header` override the defaults. */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Signs with a key that is not served. */
  signWith(key: KeyLike, kid: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    state.fetches++;
    if (state.mode === 'fail' || req.url !== '/.well-known/jwks.json') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable","message":"down"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = 'https://ledger.test';
  const defaults = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      sub: 'tok_1',
      aud: 'shop',
      client_id: 'tok_1',
      project: 'shop',
      scope: 'orders:read orders:write',
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
    };
  };
  const signWith = (key: KeyLike, keyId: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    new SignJWT({ ...defaults(), ...claims }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keyId, ...header }).sign(key);
  const state: JwksServer = {
    url,
    issuer,
    kid,
    publicJwk,
    fetches: 0,
    mode: 'serve',
    sign: (claims, header) => signWith(privateKey, kid, claims, header),
    signWith: (key, keyId, claims) => signWith(key, keyId, claims),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}
