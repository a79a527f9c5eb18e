import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const ERROR_RESPONSE = 'ErrorResponse';

/** Names of the security schemes: the three headers a token may come in, alternatives to each other. */
export const SECURITY_SCHEMES = { bearer: 'bearer', apiKey: 'apiKey', authToken: 'authToken', oauthClient: 'oauthClient' } as const;

/** The security requirement of a route that takes the caller's token in any of the three headers. */
export const TOKEN_SECURITY = [SECURITY_SCHEMES.bearer, SECURITY_SCHEMES.apiKey, SECURITY_SCHEMES.authToken].map((name) => ({ [name]: [] }));

/** `#/components/schemas/ErrorResponse`: the one error shape (docs/api.md, "Errors"). */
export const errorResponseRef = { $ref: `#/components/schemas/${ERROR_RESPONSE}` };

export const ERROR_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. validation_failed, insufficient_scope', example: 'not_found' },
        message: { type: 'string', description: 'Human-readable; never holds a token value' },
        details: { description: 'Depends on the code, e.g. the refused fields' },
      },
    },
  },
};

/**
 * A duration: `"90d"` (s, m, h, d or y) or a number of seconds. A oneOf rather than the `object`
 * a `string | number` property would be reflected as, so that generated clients accept both.
 */
export const durationSchema = (description: string, example = '90d') => ({
  description,
  oneOf: [
    { type: 'string', pattern: '^[0-9]{1,10}[smhdy]?$', example },
    { type: 'integer', minimum: 0, description: 'seconds' },
  ],
});
