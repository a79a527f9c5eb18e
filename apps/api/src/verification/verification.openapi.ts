import type { OpenAPIObject } from '@nestjs/swagger';
import { errorResponseRef, TOKEN_SECURITY } from '../openapi/openapi-schemas';
import { HOT_PATHS } from './hot-path.routes';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(errorResponseRef) });
const tokenHeaders = Object.fromEntries(
  ['X-Token-Id', 'X-Token-Project', 'X-Token-Type', 'X-Token-Scopes', 'X-Token-Owner'].map((h) => [h, { schema: { type: 'string' } }]),
);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const TOKEN_TYPES = ['project', 'integration', 'personal', 'root'];
const INVALID_CODES = ['malformed', 'not_found', 'revoked', 'expired', 'insufficient_scope', 'wrong_project'];

/**
 * The verify answer as a union on `valid` (a boolean enum of one value each), so that a
 * generated client narrows on `if (answer.valid)` without a cast.
 */
const VERIFY_SCHEMAS = {
  VerifyTokenRequest: {
    type: 'object',
    required: ['token'],
    additionalProperties: false,
    properties: {
      token: {
        type: 'string',
        maxLength: 4096,
        description: 'The presented token value: a ledger token, or an access token (JWT) from /oauth2/token, answered as for its parent',
      },
      scopes: { type: 'array', items: { type: 'string' }, maxItems: 32, description: 'All of them must be held' },
      projectId: { type: 'string', description: 'The token must belong to this project' },
    },
  },
  ValidToken: {
    type: 'object',
    required: ['valid', 'tokenId', 'projectId', 'type', 'ownerId', 'scopes', 'expiresAt'],
    properties: {
      valid: { type: 'boolean', enum: [true] },
      tokenId: { type: 'string' },
      projectId: { type: 'string' },
      type: { type: 'string', enum: TOKEN_TYPES },
      ownerId: { type: 'string', nullable: true },
      scopes: { type: 'array', items: { type: 'string' } },
      expiresAt: { type: 'string', format: 'date-time', nullable: true },
    },
  },
  InvalidToken: {
    type: 'object',
    required: ['valid', 'code'],
    properties: { valid: { type: 'boolean', enum: [false] }, code: { type: 'string', enum: INVALID_CODES } },
  },
  VerifyTokenResponse: { oneOf: [ref('ValidToken'), ref('InvalidToken')] },
};

/** The two plain Fastify routes (hot-path.routes.ts) in the OpenAPI document, which Nest cannot see. */
export function documentHotPaths(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...VERIFY_SCHEMAS } };
  document.paths[HOT_PATHS.verify] = {
    post: {
      tags: ['verification'],
      operationId: 'verifyToken',
      summary: 'Verify a presented token',
      description: 'Possession of the token is what is checked: no caller credentials. A token that fails answers 200 with valid: false and why.',
      security: [],
      requestBody: { required: true, ...json(ref('VerifyTokenRequest')) },
      responses: {
        200: { description: '{valid: true, …the token} or {valid: false, code}', ...json(ref('VerifyTokenResponse')) },
        400: error('Not a verify request'),
        413: error('Body larger than 1 MiB'),
        415: error('Not application/json'),
        429: error('Too many never-issued credentials from this end client (Retry-After)'),
      },
    },
  };
  document.paths[HOT_PATHS.check] = {
    get: {
      tags: ['verification'],
      operationId: 'checkAuth',
      summary: 'Forward-auth for gateways',
      description: 'Any method, any path suffix; the token comes in Authorization: Bearer, Auth-token or X-API-Key.',
      security: TOKEN_SECURITY,
      parameters: [
        { name: 'scope', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } }, explode: true },
        { name: 'projectId', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'X-Required-Scopes', in: 'header', required: false, schema: { type: 'string' }, description: 'Space-separated scopes, added to ?scope=' },
      ],
      responses: {
        200: { description: 'Allowed', headers: tokenHeaders },
        401: error('Missing, malformed, unknown, revoked or expired (WWW-Authenticate)'),
        403: error('Lacks a scope, or of another project (WWW-Authenticate)'),
        429: error('Too many never-issued credentials from this end client (Retry-After)'),
      },
    },
  };
  return document;
}
