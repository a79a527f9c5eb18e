import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from './error-response';

const logger = new Logger('HTTP');

/** Sends every error as `{ error: { code, message, details? } }`; only 5xx are logged as errors. */
export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500) logger.error({ err: error, requestId: request.id }, 'request failed');
  const body = { error: { code: apiError.code, message: apiError.message, ...(apiError.details === undefined ? {} : { details: apiError.details }) } };
  void reply.status(apiError.status).headers(apiError.headers).type('application/json; charset=utf-8').send(body);
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendApiError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
