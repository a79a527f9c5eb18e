import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from './error-response';

/**
 * Sends every error as `{ error: { code, message, details? } }`, Fastify's own (body size,
 * content type, JSON syntax) included, since Nest routes those here too. Only 5xx are logged.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const apiError = toApiError(error); // redacted there
    if (apiError.status >= 500) this.logger.error({ err: error, requestId: request.id }, 'request failed');
    const { code, message, details } = apiError;
    const reply = http.getResponse<FastifyReply>();
    reply.errorCode = code; // for the 429 metric's bucket
    void reply
      .status(apiError.status)
      .headers(apiError.headers)
      .type('application/json; charset=utf-8')
      .send({ error: details === undefined ? { code, message } : { code, message, details } });
  }
}
