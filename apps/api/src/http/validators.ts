import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { DURATION_FORMAT_HINT, holdsTokenValue, INSTANT_FORMAT_HINT, parseDuration, parseInstant } from '@ledger/token-domain';

/**
 * A body field that may be left out but not sent as `null`: class-validator's IsOptional skips
 * every check on null, and a handler would then read null where it expects a value or nothing.
 */
export function OptionalNotNull(validation?: ValidationOptions) {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, validation);
}

/** `<n>s|m|h|d|y` or a number of seconds, optionally capped. */
export function IsDuration(options: { maxSeconds?: number } = {}, validation?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDuration',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' && typeof value !== 'number') return false;
          const seconds = parseDuration(value);
          return seconds !== null && (options.maxSeconds === undefined || seconds <= options.maxSeconds);
        },
        defaultMessage: () => `${propertyName} must be ${DURATION_FORMAT_HINT}${options.maxSeconds === undefined ? '' : ` of at most ${options.maxSeconds}s`}`,
      },
    });
}

/**
 * A strict RFC 3339 date-time (see instant.ts), optionally at most `maxAheadSeconds` after the
 * moment of validation.
 */
export function IsInstant(options: { maxAheadSeconds?: number } = {}, validation?: ValidationOptions) {
  const { maxAheadSeconds } = options;
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate: (value: unknown) => {
          const instant = typeof value === 'string' ? parseInstant(value) : null;
          return instant !== null && (maxAheadSeconds === undefined || instant.getTime() <= Date.now() + maxAheadSeconds * 1000);
        },
        defaultMessage: () => `${propertyName} must be ${INSTANT_FORMAT_HINT}${maxAheadSeconds === undefined ? '' : `, at most ${maxAheadSeconds}s from now`}`,
      },
    });
}

/** A JSON object whose serialised form is at most `maxBytes`. */
export function IsSmallJsonObject(maxBytes: number, validation?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSmallJsonObject',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Buffer.byteLength(JSON.stringify(value)) <= maxBytes,
        defaultMessage: () => `${propertyName} must be a JSON object of at most ${maxBytes} bytes`,
      },
    });
}

/** An optional page size from the query string: an integer from 1 to `max`, `fallback` when absent. */
export function PageLimit(max: number, fallback: number) {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: max, default: fallback }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** The validation constraint name the pipe answers as `secret_in_field` rather than `validation_failed`. */
export const SECRET_IN_FIELD = 'noTokenValue';

/** Where in a string, or in an object's keys and string values, a token-like run is: its path, or null. */
function tokenValuePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return holdsTokenValue(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (holdsTokenValue(key)) return at;
    const found = tokenValuePath(child, at);
    if (found) return found;
  }
  return null;
}

/**
 * Free text that ends up in an immutable event (a name, an owner, metadata, a revoke reason)
 * must not hold a token value: a client pasting one there would put a secret into the ledger
 * for good. Refused, naming where it is and never quoting it.
 */
export function NoTokenValue(validation?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: SECRET_IN_FIELD,
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate: (value: unknown) => tokenValuePath(value, propertyName) === null,
        defaultMessage: (args) => `${tokenValuePath(args?.value, propertyName) ?? propertyName} looks like it holds a token value; secrets are never recorded`,
      },
    });
}
