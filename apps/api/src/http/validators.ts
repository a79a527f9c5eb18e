import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import { DURATION_FORMAT_HINT, parseDuration } from '@ledger/token-domain';

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
