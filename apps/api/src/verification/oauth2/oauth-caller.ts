import type { FastifyRequest } from 'fastify';
import { TokenIndex, verifyTokenValue, type IndexedToken } from '@ledger/projections';
import { grantsScope } from '@ledger/token-domain';

/** Where the introspection caller's credential came from (RFC 6749 §2.3.1, RFC 6750 §2.1). */
function presentedCredential(request: FastifyRequest, form: Record<string, string>): { clientId: string | null; secret: string } | null {
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
      return { clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
    } catch {
      return null;
    }
  }
  if (form.client_id && form.client_secret) return { clientId: form.client_id, secret: form.client_secret };
  return null;
}

/**
 * The token calling /oauth2/introspect: `Authorization: Bearer`, or OAuth client credentials
 * (HTTP Basic or client_secret_post) whose client_id is the token's id and client_secret its
 * value, so that OAuth client libraries work unmodified. It needs `introspect` (or admin/root).
 */
export function introspectionCaller(request: FastifyRequest, form: Record<string, string>, index: TokenIndex): IndexedToken | null {
  const credential = presentedCredential(request, form);
  if (!credential) return null;
  const result = verifyTokenValue(credential.secret, (hash) => index.find(hash), {}, new Date());
  if (!result.valid) return null;
  if (credential.clientId !== null && credential.clientId !== result.token.id) return null;
  return grantsScope(result.token.scopes, 'introspect') ? result.token : null;
}
