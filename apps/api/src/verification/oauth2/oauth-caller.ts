import type { FastifyRequest } from 'fastify';
import { CREDENTIAL_FAILURES, TokenIndex, verifyTokenValue, type IndexedToken } from '@ledger/projections';
import { grantsScope, tokenValueDigest } from '@ledger/token-domain';

/** Where the introspection caller's credential came from (RFC 6749 §2.3.1, RFC 6750 §2.1). */
export function presentedCredential(request: FastifyRequest, form: Record<string, string>): { clientId: string | null; secret: string } | null {
  const authorization = request.headers.authorization;
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) return { clientId: null, secret: bearer[1] };
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    if (!basic) return null;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    // Client id and secret are form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
        secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
      };
    } catch {
      return null;
    }
  }
  if (form.client_id && form.client_secret) return { clientId: form.client_id, secret: form.client_secret };
  return null;
}

/**
 * Who calls /oauth2/introspect: a token that may introspect, a valid token that lacks the scope
 * (not a failed credential: it must not count toward the client's brute-force bucket), or no
 * valid credential (`guess` when the value was never issued, as CREDENTIAL_FAILURES says).
 */
export type IntrospectionCaller = { kind: 'allowed'; token: IndexedToken } | { kind: 'lacks_scope' } | { kind: 'invalid'; guess: boolean };

/**
 * The token calling /oauth2/introspect: `Authorization: Bearer`, or OAuth client credentials
 * (HTTP Basic or client_secret_post) whose client_id is the token's id and client_secret its
 * value, so that OAuth client libraries work unmodified. It needs `introspect` (or admin/root).
 */
export function introspectionCaller(request: FastifyRequest, form: Record<string, string>, index: TokenIndex): IntrospectionCaller {
  const credential = presentedCredential(request, form);
  if (!credential) return { kind: 'invalid', guess: false };
  const result = verifyTokenValue(credential.secret, (digest) => index.findByDigest(digest), {}, new Date(), tokenValueDigest);
  if (!result.valid) return { kind: 'invalid', guess: CREDENTIAL_FAILURES.has(result.code) };
  // A wrong client_id with a real secret is a confused client, not a guess.
  if (credential.clientId !== null && credential.clientId !== result.token.id) return { kind: 'invalid', guess: false };
  return grantsScope(result.token.scopes, 'introspect') ? { kind: 'allowed', token: result.token } : { kind: 'lacks_scope' };
}
