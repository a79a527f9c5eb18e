import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Errors Fastify's router answers before any route or hook runs (a path segment over
 * maxParamLength, a malformed percent-encoding): by default in its own shape, quoting the path,
 * which may hold a token. Here in the API's shape, quoting nothing.
 */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply
    .status(tooLong ? 414 : 400)
    .type('application/json; charset=utf-8')
    .send({
      error: tooLong
        ? { code: 'uri_too_long', message: 'a path segment is longer than 100 characters' }
        : { code: 'bad_url', message: 'the path is not a valid URL (malformed percent-encoding?)' },
    });
}
