import { INSTANT_FORMAT_HINT, parseInstant } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';

/**
 * `?asOf=`: the instant a read answers for. History has no future: an instant after now would
 * be answered from events that may still change, so it is refused rather than guessed.
 */
export function parseAsOf(value: string | undefined, now = new Date()): Date | undefined {
  if (value === undefined) return undefined;
  // The DTOs check the format already; this is the parser they use, so null is only a caller that skipped them.
  const asOf = parseInstant(value);
  if (!asOf) throw ApiError.badRequest('validation_failed', `asOf must be ${INSTANT_FORMAT_HINT}`);
  if (asOf.getTime() > now.getTime()) {
    throw ApiError.badRequest('as_of_in_future', `asOf ${value} is in the future; history is known up to now (${now.toISOString()})`);
  }
  return asOf;
}
