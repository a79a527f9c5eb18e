import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { startLedgerServer, type LedgerServer } from './support/ledger-server';

const ROOT = join(__dirname, '..');
const CLIENT_LIB = join(ROOT, 'libs', 'client');
const OPENAPI_TYPESCRIPT = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js');
const TSC = require.resolve('typescript/bin/tsc');

type Operation = {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Document = { servers?: unknown[]; paths: Record<string, Record<string, Operation>> };

/** Operations that cannot answer a client error (no input, no credentials). */
const NO_CLIENT_ERRORS = ['getLiveness', 'getReadiness', 'getMetrics', 'getJwks', 'getAuthorizationServerMetadata'];

/** Statuses answered in another shape than the error schema, as their RFC says. */
const OTHER_ERROR_SHAPES: Record<string, Record<string, string>> = {
  // RFC 7662 §2.1/§2.2 answers its refusals as {active: false}.
  introspectToken: { 401: 'InactiveToken', 403: 'InactiveToken' },
  // RFC 6749 §5.2: {error, error_description}.
  issueAccessToken: { 400: 'OAuthError', 401: 'OAuthError' },
};

/**
 * Issue 16, item 1: the served document is one that generators take as it is. It lints clean,
 * openapi-typescript's types of it compile a client without casts (and that client works
 * against the ledger), and libs/client's checked-in copy is the document served now.
 */
describe('OpenAPI for generated clients', () => {
  let server: LedgerServer;
  let document: Document;
  let served: string;
  // Under node_modules so that the generated client resolves openapi-fetch; git ignores it.
  let work: string;

  beforeAll(async () => {
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    work = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'openapi-client-'));
    server = await startLedgerServer();
    served = await (await fetch(`${server.url}/openapi.json`)).text();
    document = JSON.parse(served);
    writeFileSync(join(work, 'openapi.json'), served);
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  const operations = () => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it('gives every operation a stable operationId, a summary, a security requirement and its error statuses with the error schema', () => {
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        ...['createToken', 'listTokens', 'getToken', 'updateToken', 'revokeToken', 'rotateToken', 'getTokenHistory', 'listProjects'],
        ...['verifyToken', 'checkAuth', 'introspectToken', 'listReminders'],
        ...['issueAccessToken', 'authenticate', 'getJwks', 'getAuthorizationServerMetadata', 'rotateSigningKey'],
      ]),
    );
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, op.operationId]).toEqual([where, expect.stringMatching(/^[a-z][A-Za-z]+$/)]);
      expect([where, typeof op.summary]).toEqual([where, 'string']);
      expect([where, Array.isArray(op.security)]).toEqual([where, true]);
      const errors = Object.keys(op.responses).filter((status) => Number(status) >= 400);
      if (!NO_CLIENT_ERRORS.includes(op.operationId!)) expect([where, errors.some((s) => s.startsWith('4'))]).toEqual([where, true]);
      for (const status of errors) {
        const expected = `#/components/schemas/${OTHER_ERROR_SHAPES[op.operationId!]?.[status] ?? 'ErrorResponse'}`;
        expect([where, status, op.responses[status].content?.['application/json']?.schema?.$ref]).toEqual([where, status, expected]);
      }
    }
    const admin = operations().filter(({ path }) => path.startsWith('/v1/projects') || path.startsWith('/v1/audit') || path.startsWith('/v1/reminders'));
    for (const { op } of admin) expect(op.security).toEqual([{ bearer: [] }, { apiKey: [] }, { authToken: [] }]);
    expect(operations().find(({ op }) => op.operationId === 'verifyToken')!.op.security).toEqual([]);
    const security = (id: string) => operations().find(({ op }) => op.operationId === id)!.op.security;
    expect(security('introspectToken')).toEqual(expect.arrayContaining([{ bearer: [] }, { oauthClient: [] }]));
    // HTTP Basic, or client_secret_post: the pair in the form, nothing in the headers.
    expect(security('issueAccessToken')).toEqual([{ oauthClient: [] }, {}]);
    for (const id of ['authenticate', 'getJwks', 'getAuthorizationServerMetadata']) expect([id, security(id)]).toEqual([id, []]);
    expect(security('rotateSigningKey')).toEqual([{ bearer: [] }, { apiKey: [] }, { authToken: [] }]);
  });

  it("passes Redocly's recommended lint rules (only operations without a client error lack a 4XX)", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: served, absoluteRef: join(work, 'openapi.json'), config });
    const described = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(described).toEqual([
      'warn operation-4xx-response #/paths/~1health~1live/get/responses: Operation must have at least one `4XX` response.',
      'warn operation-4xx-response #/paths/~1health~1ready/get/responses: Operation must have at least one `4XX` response.',
      'warn operation-4xx-response #/paths/~1metrics/get/responses: Operation must have at least one `4XX` response.',
      // Public documents without input or credentials: nothing a client can get wrong.
      'warn operation-4xx-response #/paths/~1.well-known~1jwks.json/get/responses: Operation must have at least one `4XX` response.',
      'warn operation-4xx-response #/paths/~1.well-known~1oauth-authorization-server/get/responses: Operation must have at least one `4XX` response.',
    ]);
  });

  it('is what libs/client was generated from (npm run client:types after an API change)', () => {
    const checkedIn = JSON.parse(readFileSync(join(CLIENT_LIB, 'openapi.json'), 'utf8'));
    expect(document).toEqual(checkedIn);
    execFileSync(process.execPath, [OPENAPI_TYPESCRIPT, join(work, 'openapi.json'), '-o', join(work, 'ledger-api.ts')], { stdio: 'pipe' });
    expect(readFileSync(join(work, 'ledger-api.ts'), 'utf8')).toBe(readFileSync(join(CLIENT_LIB, 'src', 'generated', 'ledger-api.ts'), 'utf8'));
  });

  it('compiles a client against the generated types under --strict without a cast, and that client works against the ledger', async () => {
    execFileSync(process.execPath, [OPENAPI_TYPESCRIPT, join(work, 'openapi.json'), '-o', join(work, 'ledger-api.ts')], { stdio: 'pipe' });
    const source = join(ROOT, 'test', 'fixtures', 'generated-client', 'client.ts');
    expect(readFileSync(source, 'utf8')).not.toMatch(/\bas\s+(unknown|any|[A-Z{[])|<[A-Za-z]+>\s*\w|@ts-(ignore|expect-error)|:\s*any\b/);
    copyFileSync(source, join(work, 'client.ts'));
    const compile = (file: string) =>
      execFileSync(
        process.execPath,
        [
          TSC,
          '--strict',
          '--target',
          'ES2022',
          '--module',
          'commonjs',
          '--moduleResolution',
          'node',
          '--esModuleInterop',
          '--skipLibCheck',
          '--types',
          'node',
          '--typeRoots',
          join(ROOT, 'node_modules', '@types'),
          '--outDir',
          join(work, 'out'),
          file,
        ],
        {
          stdio: 'pipe',
          encoding: 'utf8',
        },
      );
    try {
      compile(join(work, 'client.ts'));
    } catch (error) {
      throw new Error(`the generated client does not compile:\n${(error as { stdout?: string }).stdout}`);
    }
    // Asynchronously: the ledger answering it runs in this process.
    const { stdout } = await promisify(execFile)(process.execPath, [join(work, 'out', 'client.js')], {
      env: { ...process.env, LEDGER_URL: server.url, LEDGER_TOKEN: server.rootToken },
      timeout: 30_000,
    });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      created: { type: 'project', status: 'active' },
      lacking: 'invalid insufficient_scope',
      missing: { status: 404, code: 'not_found' },
      chainOk: true,
    });
    expect(result.allowed).toBe(`valid ${result.created.id} orders:read`);
    expect(result.rotated.previous).toBe(result.created.id);
    expect(result.active).toHaveLength(1);
    expect(result.active).not.toContain(result.created.id);
    expect(Array.isArray(result.reminders)).toBe(true);
  });

  it('types that can refuse: a client sending what the API refuses does not compile', () => {
    execFileSync(process.execPath, [OPENAPI_TYPESCRIPT, join(work, 'openapi.json'), '-o', join(work, 'ledger-api.ts')], { stdio: 'pipe' });
    writeFileSync(
      join(work, 'wrong.ts'),
      [
        "import createClient from 'openapi-fetch';",
        "import type { paths } from './ledger-api';",
        'const client = createClient<paths>({});',
        "void client.POST('/v1/projects/{projectId}/tokens', { params: { path: { projectId: 'p' } }, body: { scopes: [], expiresIn: true } });",
        "void client.POST('/v1/tokens/verify', { body: { token: 't' } }).then(({ data }) => data && data.tokenId);",
      ].join('\n'),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [
          TSC,
          '--strict',
          '--noEmit',
          '--module',
          'commonjs',
          '--moduleResolution',
          'node',
          '--esModuleInterop',
          '--skipLibCheck',
          '--types',
          'node',
          '--typeRoots',
          join(ROOT, 'node_modules', '@types'),
          join(work, 'wrong.ts'),
        ],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    // name is missing, expiresIn is no boolean, and tokenId exists only once valid is narrowed to true.
    expect(output).toMatch(/wrong\.ts\(4,\d+\): error TS2322/);
    expect(output).toMatch(/wrong\.ts\(5,\d+\): error TS2339: Property 'tokenId' does not exist/);
  });
});
