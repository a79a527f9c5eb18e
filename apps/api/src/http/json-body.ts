import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/**
 * Deeper than any body of this API needs (metadata is a 4 KB object). Validation and
 * serialisation recurse through a body, so thousands of levels overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether the JSON text nests objects and arrays deeper than `max`; one pass, no recursion, before parsing. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/**
 * Fastify's JSON parser (with its `__proto__` and `constructor.prototype` refusal), plus two
 * rules: a body nested deeper than MAX_JSON_DEPTH is a 400 before it is parsed, and an empty
 * body reads as no body, as many generated clients send `Content-Type: application/json` on
 * a DELETE or a body-less POST (the validation pipe then sees `{}`).
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    // RFC 7662 §2.1 and RFC 7009 §2.1 take form parameters, which are always strings; a JSON
    // body there could carry arrays and objects where a token value is read.
    if (request.url.startsWith('/oauth2/')) {
      return done(new ApiError(415, 'unsupported_media_type', 'this route takes application/x-www-form-urlencoded (RFC 7662, RFC 7009)'), undefined);
    }
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(ApiError.badRequest('body_too_deep', `the JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`), undefined);
    }
    // Fastify's default JSON parser is the callback kind: it answers through `done`, never a promise.
    void parse(request, text, done);
  });
}
