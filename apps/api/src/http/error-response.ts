import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ConcurrencyConflictError, EventStoreUnavailableError } from '@ledger/event-store';
import { InvalidCursorError } from '@ledger/projections';
import { redactTokenValues, TokenCommandError } from '@ledger/token-domain';
import { ApiError } from './api-error';

const STATUS_BY_KIND = { not_found: 404, conflict: 409, invalid: 400, forbidden: 403 } as const;

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'invalid_token',
  403: 'insufficient_scope',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'not_ready',
};

/**
 * Maps anything thrown while serving a request to the one error shape. Unknown errors are 500.
 * Every error body is built from this, so the redaction is here: a message or detail may quote
 * the request (Nest's 404 names the path, a refused field is named by its key), never a token
 * value it held.
 */
export function toApiError(error: unknown): ApiError {
  return redacted(mapError(error));
}

function redacted(error: ApiError): ApiError {
  const message = redactTokenValues(error.message);
  const details = error.details === undefined ? undefined : (JSON.parse(redactTokenValues(JSON.stringify(error.details))) as unknown);
  const headers = Object.fromEntries(Object.entries(error.headers).map(([name, value]) => [name, redactTokenValues(value)]));
  return new ApiError(error.status, error.code, message, details, headers);
}

function mapError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TokenCommandError) {
    // Only a missing scope is RFC 6750's insufficient_scope; other refusals (expiry_beyond_caller) keep their code.
    if (error.kind === 'forbidden' && error.code === 'insufficient_scope') return ApiError.forbidden(error.message, requiredScopeOf(error.details));
    return new ApiError(STATUS_BY_KIND[error.kind], error.code, error.message, error.details);
  }
  if (error instanceof ConcurrencyConflictError) {
    return new ApiError(409, 'concurrent_modification', 'the token was changed by another request at the same time; retry');
  }
  if (error instanceof EventStoreUnavailableError) {
    // Almost always nothing was written; a deadline that ran out mid-append cannot say for sure.
    return new ApiError(503, 'store_unavailable', 'the event store is unavailable and did not confirm the change; retry shortly', undefined, {
      'retry-after': '5',
    });
  }
  if (error instanceof InvalidCursorError) return ApiError.badRequest('invalid_cursor', error.message);
  // Nest hands Fastify's own client errors (body size, content type, JSON syntax) over as these.
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Health checks answer 503 with which dependency is down: keep that as details.
    const details = status === 503 && typeof error.getResponse() === 'object' ? error.getResponse() : undefined;
    return new ApiError(status, CODE_BY_STATUS[status] ?? `http_${status}`, httpMessage(error), details);
  }
  const status = pluginClientErrorStatus(error);
  if (status !== null) {
    // The one plugin answering this way is @fastify/static under /docs, whose 403 is a path with
    // `..`, `\` or NUL in it: for a file server that is simply no such file.
    if (status === 403) return ApiError.notFound('no such file');
    // A fixed message: a plugin's own may echo the request (its path, a header).
    return new ApiError(status, CODE_BY_STATUS[status] ?? `http_${status}`, (STATUS_CODES[status] ?? 'bad request').toLowerCase());
  }
  return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'internal error; the request id identifies it in the logs');
}

function httpMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' || typeof message === 'number' ? String(message) : error.message;
}

const requiredScopeOf = (details: unknown): string =>
  typeof details === 'object' && details !== null && 'requiredScope' in details && typeof details.requiredScope === 'string' ? details.requiredScope : '';

/** The 4xx status a Fastify plugin put on its error (`statusCode`, as http-errors does), or null. */
function pluginClientErrorStatus(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}
