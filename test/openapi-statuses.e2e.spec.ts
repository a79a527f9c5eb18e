import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

type Operation = { operationId: string; requestBody?: unknown; security?: unknown[]; responses: Record<string, unknown> };

const schemaName = (response: unknown) =>
  (response as { content?: { 'application/json'?: { schema?: { $ref?: string } } } }).content?.['application/json']?.schema?.$ref?.split('/').pop();

/** The error bodies the document names, told apart by what each always holds. */
function hasShape(body: unknown, schema: string | undefined): boolean {
  const b = (body ?? {}) as Record<string, unknown>;
  if (schema === 'ErrorResponse') return typeof (b.error as { code?: unknown } | undefined)?.code === 'string';
  if (schema === 'OAuthError') return typeof b.error === 'string' && typeof b.error_description === 'string';
  if (schema === 'InactiveToken') return b.active === false;
  return false;
}

/**
 * Issue 16, item 1: "every error status it can answer". Each documented operation is sent the
 * requests a client gets wrong — no or a wrong credential, a broken or non-JSON body, a bad
 * path or query — and whatever the ledger answers must be a status its operation documents.
 */
describe('OpenAPI documents the statuses the ledger answers', () => {
  let server: LedgerServer;
  let document: { paths: Record<string, Record<string, Operation>> };
  let tokenId: string;
  let outsider: string;

  beforeAll(async () => {
    server = await startLedgerServer({ env: { ADMIN_RATE_LIMIT: 'off', FAILED_AUTH_LIMIT: 'off' } });
    document = (await call(server, 'GET', '/openapi.json')).body;
    const created = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'target', scopes: ['orders:read'] } });
    tokenId = created.body.token.id;
    // Valid, but holds none of the ledger's own scopes.
    outsider = created.body.value;
  });
  afterAll(() => server.close());

  it('answers every probe with a documented status', async () => {
    const undocumented: string[] = [];
    const misshapen: string[] = [];
    for (const [template, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (['getLiveness', 'getReadiness', 'getMetrics'].includes(op.operationId)) continue;
        const path = (project: string, token: string) =>
          template.replace('{projectId}', project).replace('{tokenId}', token).replace('{reminderId}', `${tokenId}.expired.1`);
        const form = template.startsWith('/oauth2/');
        const contentType = form ? 'application/x-www-form-urlencoded' : 'application/json';
        const probes: Array<[string, string, { token?: string; body?: unknown; headers?: Record<string, string> }]> = [
          ['no credentials', path('shop', tokenId), {}],
          ['a token without the scope', path('shop', tokenId), { token: outsider }],
          ['a made-up token', path('shop', tokenId), { token: 'not-a-token' }],
          ['a bad project id', path('Bad_Project', tokenId), { token: server.rootToken }],
          ['an unknown token id', path('shop', 'tok_0000000000000000000000'), { token: server.rootToken }],
          ['a malformed token id', path('shop', 'nope'), { token: server.rootToken }],
          ['a bad query', `${path('shop', tokenId)}?limit=0&status=nope&asOf=yesterday&after=-1&format=xml&scope=`, { token: server.rootToken }],
        ];
        if (op.requestBody) {
          probes.push(
            ['a broken body', path('shop', tokenId), { token: server.rootToken, body: form ? 'token' : '{"name": ', headers: { 'content-type': contentType } }],
            ['a body of the wrong type', path('shop', tokenId), { token: server.rootToken, body: 'hello', headers: { 'content-type': 'text/plain' } }],
            [
              'a body with the wrong fields',
              path('shop', tokenId),
              { token: server.rootToken, body: form ? 'other=1' : { unknown: true, expiresIn: '3 weeks' }, headers: { 'content-type': contentType } },
            ],
            [
              'an oversized body',
              path('shop', tokenId),
              { token: server.rootToken, body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }), headers: { 'content-type': contentType } },
            ],
            // What the exchanges (client_secret_post, /v1/auth) refuse as invalid_client; a plain wrong body elsewhere.
            [
              'made-up client credentials in the body',
              path('shop', tokenId),
              {
                body: form ? `grant_type=client_credentials&client_id=${tokenId}&client_secret=not-a-token` : { clientId: tokenId, secret: 'not-a-token' },
                headers: { 'content-type': contentType },
              },
            ],
          );
        }
        for (const [what, url, options] of probes) {
          const res = await call(server, method.toUpperCase(), url, options);
          if (process.env.PROBE_TRACE) process.stdout.write(`${op.operationId} ${what} ${res.status}\n`);
          const documented = op.responses[String(res.status)];
          if (!documented) undocumented.push(`${op.operationId} (${what}): ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          else if (res.status >= 400 && !hasShape(res.body, schemaName(documented)))
            misshapen.push(`${op.operationId} (${what}): ${res.status} is not ${schemaName(documented)}: ${JSON.stringify(res.body).slice(0, 120)}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect(misshapen).toEqual([]);
  });
});
