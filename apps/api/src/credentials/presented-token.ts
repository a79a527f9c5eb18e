import type { IncomingHttpHeaders } from 'node:http';

/**
 * The presented token, from `Authorization: Bearer`, `Auth-token` or `X-API-Key`
 * (docs/api.md, "Tokens"), or null when none of them is there.
 */
export function presentedToken(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : null;
  }
  const other = headers['auth-token'] ?? headers['x-api-key'];
  const value = Array.isArray(other) ? other[0] : other;
  return value ? value.trim() : null;
}
