import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';
import { SECRET_IN_FIELD } from './validators';

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = '', only?: string): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {}).filter(([name]) => only === undefined || name === only);
    const own = constraints.length > 0 ? [{ field, problems: constraints.map(([, problem]) => problem) }] : [];
    return [...own, ...flatten(e.children ?? [], field, only)];
  });
}

/** A token value in a free-text field is its own error, whatever else is wrong with the request. */
function secretInField(errors: ValidationError[]): ApiError | null {
  const details = flatten(errors, '', SECRET_IN_FIELD);
  if (details.length === 0) return null;
  return ApiError.badRequest('secret_in_field', details.flatMap((d) => d.problems).join('; '), details);
}

/**
 * Nest deletes these keys before class-transformer (which fails on a `constructor` that is not
 * a function) sees a body: a metadata key would silently vanish, so it is refused instead. The
 * JSON body parser bounds the depth of this walk.
 */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];

function refuseReservedKeys(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const field = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (RESERVED_KEYS.includes(key)) {
      throw ApiError.badRequest('validation_failed', `${field}: the keys ${RESERVED_KEYS.join(', ')} are reserved`, [{ field, problems: ['reserved key'] }]);
    }
    refuseReservedKeys(child, field);
  }
}

/**
 * class-validator at the edge: unknown fields are refused, so a bad body never reaches a handler.
 * A request without a body is validated as `{}` (rotate takes an optional one; create then
 * answers which fields are missing).
 */
export class LedgerValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const secret = secretInField(errors);
        if (secret) return secret;
        const details = flatten(errors);
        const summary = details.flatMap((d) => d.problems).join('; ');
        return ApiError.badRequest('validation_failed', summary || 'request is invalid', details);
      },
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only bodies that a DTO validates: Nest strips keys from those alone (the OAuth form is read as is).
    if (metadata.type === 'body' && this.toValidate(metadata)) refuseReservedKeys(value, 'body');
    return super.transform(metadata.type === 'body' && value == null ? {} : value, metadata);
  }
}
