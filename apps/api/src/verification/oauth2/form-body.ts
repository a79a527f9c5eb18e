import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../http/api-error';

/** OAuth bodies are small: a token, a hint, client credentials. */
const FORM_BODY_LIMIT = 16 * 1024;

/**
 * `application/x-www-form-urlencoded`, as RFC 7662 and RFC 7009 require, for the /oauth2
 * routes only: everywhere else the API speaks JSON and a form stays a 415. A parameter sent
 * twice is dropped (RFC 6749 §3.2: "MUST NOT be included more than once"), so it reads as absent.
 */
export function registerOAuthFormParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (request, body, done) => {
    if (!request.url.startsWith('/oauth2/')) {
      done(new ApiError(415, 'unsupported_media_type', 'this route takes application/json'), undefined);
      return;
    }
    // A Map, not `key in {}`: a parameter named toString or constructor is not "already there".
    const form = new Map<string, string>();
    const repeated = new Set<string>();
    for (const [key, value] of new URLSearchParams(body as string)) {
      if (form.has(key)) repeated.add(key);
      form.set(key, value);
    }
    for (const key of repeated) form.delete(key);
    done(null, Object.fromEntries(form));
  });
}

/**
 * The form parameters of an /oauth2 request: only string values, as a form can only carry
 * (a body that reached the route some other way must not put an array where a token is read).
 */
export function oauthParams(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
