import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactTokenValues } from '@ledger/token-domain';
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
    const apiError = toApiError(error);
    if (apiError.status >= 500) this.logger.error({ err: error, requestId: request.id }, 'request failed');
    // A message may quote the request (Nest's 404 names the path): never a token value it held.
    const message = redactTokenValues(apiError.message);
    const details = apiError.details === undefined ? undefined : (JSON.parse(redactTokenValues(JSON.stringify(apiError.details))) as unknown);
    const { code } = apiError;
    const reply = http.getResponse<FastifyReply>();
    reply.errorCode = code; // for the 429 metric's bucket
    void reply
      .status(apiError.status)
      .headers(apiError.headers)
      .type('application/json; charset=utf-8')
      .send({ error: details === undefined ? { code, message } : { code, message, details } });
  }
}
