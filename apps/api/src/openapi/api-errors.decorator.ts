import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { errorResponseRef } from './openapi-schemas';

/** What each error status means on this API, for the document (docs/api.md, "Errors"). */
const MEANING: Record<number, string> = {
  400: 'Invalid input (the refused fields are named in details)',
  401: 'No, malformed, unknown, revoked or expired credentials (WWW-Authenticate)',
  403: 'The token lacks the scope on this project (WWW-Authenticate names it)',
  404: 'No such resource in this project',
  409: 'Conflict with the current state of the token (revoked, expired, rotated, changed concurrently, quota)',
  413: 'Body larger than 1 MiB',
  415: 'Wrong content type',
  429: 'Rate limit reached (Retry-After)',
  503: 'Not ready: the store is unavailable or the write is not visible yet (Retry-After)',
};

/** Each status answered with the error schema; `overrides` replace the generic meaning. */
export function ApiErrors(statuses: number[], overrides: Record<number, string> = {}) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: overrides[status] ?? MEANING[status], schema: errorResponseRef })));
}

/** What every JSON body route can also answer: invalid, too large, not JSON. */
export const BODY_ERRORS = [400, 413, 415];
