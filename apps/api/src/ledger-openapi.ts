import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { documentHotPaths } from './verification/verification.openapi';
import { ERROR_RESPONSE, ERROR_RESPONSE_SCHEMA, SECURITY_SCHEMES } from './openapi/openapi-schemas';

const TAGS: Array<[string, string]> = [
  ['tokens', 'Issue, list, read, rotate and revoke the tokens of a project'],
  ['verification', 'Check a presented token: verify, gateway forward-auth'],
  ['projects', 'The projects a token may see, with their tokens counted by status'],
  ['oauth2', 'RFC 6749 client credentials, RFC 7662 introspection and RFC 7009 revocation'],
  ['access tokens', 'Short-lived signed access tokens: the JSON exchange, signing keys and their discovery'],
  ['audit', 'The immutable, hash-chained history'],
  ['reminders', 'Expiry and rotation reminders sent to ops'],
  ['health', 'Liveness, readiness and Prometheus metrics'],
];

/**
 * The document served at /openapi.json. Written so that generators (openapi-typescript and
 * the like) produce types a client compiles against without casts: see test/openapi-client.e2e.spec.ts.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Token Ledger')
    .setDescription('Issue, verify, revoke and rotate scoped API tokens; every change is an audited event.')
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the ledger that serves this document (behind any proxy or path it is reached by).
    .addServer('/', 'The ledger serving this document')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'ledger token (tl…_…)', description: 'Authorization: Bearer <token>' },
      SECURITY_SCHEMES.bearer,
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same token in X-API-Key' }, SECURITY_SCHEMES.apiKey)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Auth-token', description: 'The same token in Auth-token' }, SECURITY_SCHEMES.authToken)
    // RFC 6749 §2.3.1 client credentials for introspection: client_id = the caller token's id, secret = its value.
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'client_id = token id, client_secret = token value' }, SECURITY_SCHEMES.oauthClient);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build());
  document.components = { ...document.components, schemas: { ...document.components?.schemas, [ERROR_RESPONSE]: ERROR_RESPONSE_SCHEMA } };
  return documentHotPaths(document);
}
