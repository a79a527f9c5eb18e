import type { OpenAPIObject } from '@nestjs/swagger';
import { HOT_PATHS } from './hot-path.routes';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = { $ref: '#/components/schemas/ErrorResponse' };
const tokenHeaders = Object.fromEntries(
  ['X-Token-Id', 'X-Token-Project', 'X-Token-Type', 'X-Token-Scopes', 'X-Token-Owner'].map((h) => [h, { schema: { type: 'string' } }]),
);

/** The two plain Fastify routes (hot-path.routes.ts) in the OpenAPI document, which Nest cannot see. */
export function documentHotPaths(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorResponse: {
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
  } } };
  document.paths[HOT_PATHS.verify] = {
    post: {
      tags: ['verification'],
      summary: 'Verify a presented token',
      requestBody: json({
        type: 'object',
        required: ['token'],
        additionalProperties: false,
        properties: { token: { type: 'string', maxLength: 4096, description: 'A ledger token value, or an access token (JWT) from /oauth2/token, answered as for its parent' }, scopes: { type: 'array', items: { type: 'string' }, maxItems: 32 }, projectId: { type: 'string' } },
      }),
      responses: {
        200: {
          description: '{valid: true, tokenId, projectId, type, ownerId, scopes, expiresAt} or {valid: false, code}',
          ...json({
            type: 'object',
            properties: {
              valid: { type: 'boolean' },
              code: { type: 'string', enum: ['malformed', 'not_found', 'revoked', 'expired', 'insufficient_scope', 'wrong_project'] },
              tokenId: { type: 'string' },
              projectId: { type: 'string' },
              type: { type: 'string' },
              ownerId: { type: 'string', nullable: true },
              scopes: { type: 'array', items: { type: 'string' } },
              expiresAt: { type: 'string', format: 'date-time', nullable: true },
            },
          }),
        },
        400: { description: 'Not a verify request', ...json(error) },
        429: { description: 'Too many never-issued credentials from this end client (Retry-After)', ...json(error) },
      },
    },
  };
  document.paths[HOT_PATHS.check] = {
    get: {
      tags: ['verification'],
      summary: 'Forward-auth for gateways (any method, any path suffix); token from Authorization: Bearer, Auth-token or X-API-Key',
      parameters: [
        { name: 'scope', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } }, explode: true },
        { name: 'projectId', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'X-Required-Scopes', in: 'header', required: false, schema: { type: 'string' }, description: 'Space-separated scopes, added to ?scope=' },
      ],
      responses: {
        200: { description: 'Allowed', headers: tokenHeaders },
        401: { description: 'Missing, malformed, unknown, revoked or expired (WWW-Authenticate)', ...json(error) },
        403: { description: 'Lacks a scope, or of another project (WWW-Authenticate)', ...json(error) },
        429: { description: 'Too many never-issued credentials from this end client (Retry-After)', ...json(error) },
      },
    },
  };
  return document;
}
