import fc from 'fast-check';
import { formatTokenValue, type TokenType } from '@ledger/token-domain';

/** One request the fuzz sends: what Fastify's inject takes, plus a label to read failures by. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** A route as enumerated from /openapi.json and the routes it does not list, `{name}` for parameters. */
export interface FuzzRoute {
  method: string;
  path: string;
}

/** Values the fuzz knows that make requests go further than validation. */
export interface FuzzKnowns {
  /** Valid credentials: root, a project admin, a reader, a revoked one. */
  tokens: string[];
  tokenIds: string[];
  projectIds: string[];
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const edgeNumber = fc.constantFrom(
  0,
  -0,
  1,
  -1,
  0.5,
  1e21,
  -1e21,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  8_640_000_000_000,
  8_640_000_000_001,
  9_007_199_254_740_991,
  3_153_600_000,
  3_153_600_001,
);

const edgeDate = fc.oneof(
  fc.constantFrom(
    '2030-W01',
    '2020-W01',
    '2030-100',
    '2030-01-01T10',
    '20300101',
    '2030-01-01T10:00:00,5Z',
    '2030-01-01',
    '2030-02-30T00:00:00Z',
    '2030-01-01T24:00:00Z',
    '+101960-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2020-01-01T00:00:00Z',
    '2020-01-01t00:00:00+14:00',
    '1970-01-01T00:00:00Z',
    'now',
    'Invalid Date',
    '',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date(Date.now() + 60_000), max: new Date(Date.now() + 200 * 365 * 86_400_000), noInvalidDate: true }).map((d) => d.toISOString()),
);

const duration = fc.oneof(
  fc.constantFrom('0', '45s', '30m', '24h', '90d', '1y', '100y', '101y', '300000y', '999999999y', '9999999999d', '1w', '-5s', '1.5h', ' 5s', ''),
  fc.tuple(fc.nat(), fc.constantFrom('s', 'm', 'h', 'd', 'y', '')).map(([n, u]) => `${n}${u}`),
  edgeNumber,
);

/** Token values: valid ones, random well-formed ones, near misses and garbage. */
function tokenValue(knowns: FuzzKnowns): fc.Arbitrary<string> {
  const wellFormed = fc
    .tuple(fc.constantFrom<TokenType>('project', 'integration', 'personal', 'root'), fc.uint8Array({ minLength: 32, maxLength: 32 }))
    .map(([type, bytes]) => formatTokenValue(type, bytes));
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...knowns.tokens) },
    { weight: 2, arbitrary: wellFormed },
    { weight: 1, arbitrary: fc.constantFrom(...knowns.tokens).map((t) => t.slice(0, -1) + (t.endsWith('a') ? 'b' : 'a')) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    // Shaped like a token but with a checksum that (almost always) fails.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('p', 'i', 'u', 'r'), fc.uint8Array({ minLength: 49, maxLength: 49 }))
        .map(([t, b]) => `tl${t}_${[...b].map((n) => BASE62[n % 62]).join('')}`),
    },
  );
}

/**
 * A string where one is expected, or the same string inside an array or an object: a stringified
 * `[value]` reads exactly like `value`, which is how a JSON body once reached a 500 on /oauth2.
 */
const wrapped = (arb: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 2, arbitrary: arb },
    arb.map((v) => [v]),
    arb.map((v) => [v, v]),
    arb.map((v) => ({ value: v })),
    arb.map((v) => ({ toString: v, length: v.length })),
  );

function leaf(knowns: FuzzKnowns): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.boolean(),
    edgeNumber,
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 40 }),
    edgeDate,
    duration,
    tokenValue(knowns),
    fc.constantFrom(...knowns.tokenIds, ...knowns.projectIds, ...PROTOTYPE_KEYS),
  );
}

/** Any JSON value, with prototype keys among the object keys. */
function jsonValue(knowns: FuzzKnowns): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...PROTOTYPE_KEYS));
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf(knowns), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  })).value;
}

/** Bodies that mostly pass validation, so that the write paths (create, rotate) are reached with their edges. */
function nearlyValid(knowns: FuzzKnowns) {
  const expiry = fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: fc.constantFrom('1h', '1d', '90d', '100y', 3600).map((expiresIn) => ({ expiresIn })) },
    { weight: 1, arbitrary: duration.map((expiresIn) => ({ expiresIn })) },
    {
      weight: 2,
      arbitrary: fc
        .date({ min: new Date(Date.now() + 3_600_000), max: new Date(Date.now() + 50 * 365 * 86_400_000), noInvalidDate: true })
        .map((d) => ({ expiresAt: d.toISOString() })),
    },
    { weight: 1, arbitrary: edgeDate.map((expiresAt) => ({ expiresAt })) },
  );
  const metadataKey = fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) });
  const create = fc
    .record(
      {
        name: fc.string({ minLength: 1, maxLength: 20 }),
        scopes: fc.constantFrom([], ['read'], ['orders:read', 'orders:write'], ['tokens:read'], ['admin']),
        type: fc.constantFrom('project', 'integration'),
        metadata: fc.dictionary(metadataKey, leaf(knowns), { maxKeys: 3 }),
      },
      { requiredKeys: ['name', 'scopes'] },
    )
    .chain((body) => expiry.map((e) => ({ ...body, ...e })));
  const rotate = fc.record(
    { gracePeriod: fc.oneof(fc.constantFrom('0', '1h', '30d', '31d'), duration), expiresIn: fc.oneof(fc.constantFrom('1d', '90d'), duration) },
    { requiredKeys: [] },
  );
  return { create, rotate };
}

/** Bodies shaped like the API's (create, rotate, verify), each field fuzzed, so that some pass validation. */
function shapedBody(knowns: FuzzKnowns): fc.Arbitrary<unknown> {
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
  const scopes = fc.oneof(
    fc.constantFrom([], ['read'], ['orders:read', 'orders:write'], ['admin'], ['root'], ['tokens:write'], ['introspect']),
    fc.array(fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom(...PROTOTYPE_KEYS)), { maxLength: 34 }),
    jsonValue(knowns),
  );
  const metadata = fc.oneof(
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTOTYPE_KEYS)), jsonValue(knowns), { maxKeys: 4 }),
    jsonValue(knowns),
  );
  return fc.oneof(
    { weight: 3, arbitrary: nearlyValid(knowns).create },
    { weight: 2, arbitrary: nearlyValid(knowns).rotate },
    fc.record({
      name: maybe(fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 199, maxLength: 202 }), leaf(knowns))),
      scopes: maybe(scopes),
      type: maybe(fc.oneof(fc.constantFrom('project', 'integration', 'personal', 'root', null), leaf(knowns))),
      ownerId: maybe(fc.oneof(fc.string({ maxLength: 10 }), leaf(knowns))),
      expiresIn: maybe(fc.oneof(duration, leaf(knowns))),
      expiresAt: maybe(fc.oneof(edgeDate, leaf(knowns))),
      metadata: maybe(metadata),
    }),
    fc.record({ gracePeriod: maybe(fc.oneof(duration, leaf(knowns))), expiresIn: maybe(fc.oneof(duration, leaf(knowns))) }),
    fc.record({ token: maybe(wrapped(tokenValue(knowns))), scopes: maybe(scopes), projectId: maybe(wrapped(fc.constantFrom(...knowns.projectIds))) }),
    oauthParams(knowns),
  );
}

/** RFC 7662 / 7009 parameters, as a JSON body would carry them (answered 415; a form carries only strings). */
function oauthParams(knowns: FuzzKnowns): fc.Arbitrary<unknown> {
  return fc.record(
    {
      token: wrapped(tokenValue(knowns)),
      token_type_hint: wrapped(fc.constantFrom('access_token', 'refresh_token', '')),
      client_id: wrapped(fc.constantFrom(...knowns.tokenIds, 'x')),
      client_secret: wrapped(tokenValue(knowns)),
    },
    { requiredKeys: ['client_id', 'client_secret'] },
  );
}

/** JSON text nested `depth` levels, objects or arrays. */
const deepJson = fc
  .tuple(fc.integer({ min: 20, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)))
  .map((deep) => `{"name":"n","scopes":[],"metadata":{"x":${deep}}}`);

function payload(knowns: FuzzKnowns): fc.Arbitrary<string | undefined> {
  const json = (arb: fc.Arbitrary<unknown>) => arb.map((v) => JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', 'null', '[]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000') },
    { weight: 6, arbitrary: json(shapedBody(knowns)) },
    { weight: 2, arbitrary: json(jsonValue(knowns)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
    { weight: 1, arbitrary: tokenValue(knowns).map((t) => `token=${encodeURIComponent(t)}&token_type_hint=access_token`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...knowns.tokenIds, 'x'), tokenValue(knowns), tokenValue(knowns), fc.constantFrom('', 'client_secret', 'token', 'token[]'))
        .map(
          ([id, secret, t, repeated]) =>
            `client_id=${encodeURIComponent(id)}&client_secret=${encodeURIComponent(secret)}&token=${encodeURIComponent(t)}${repeated ? `&${repeated}=${encodeURIComponent(t)}` : ''}`,
        ),
    },
  );
}

function pathSegment(name: string, knowns: FuzzKnowns): fc.Arbitrary<string> {
  const known = name === 'tokenId' ? knowns.tokenIds : knowns.projectIds;
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...known) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, '_system', '..', '%2e%2e', '%2F', '%00', '%', 'a'.repeat(300), 'tok_', 'tok_' + 'x'.repeat(41)),
    },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: tokenValue(knowns) },
  );
}

function query(knowns: FuzzKnowns): fc.Arbitrary<string> {
  const name = fc.constantFrom(
    'asOf',
    'from',
    'to',
    'limit',
    'after',
    'cursor',
    'status',
    'order',
    'direction',
    'type',
    'reason',
    'projectId',
    'tokenId',
    'actor',
    'format',
    'scope',
    'token',
    ...PROTOTYPE_KEYS,
    'limit[]',
    'a[b]',
  );
  const value = fc.oneof(
    edgeDate,
    edgeNumber.map(String),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', 'active', 'expired', 'csv', 'ndjson', 'DESC', 'expiresAt'),
    tokenValue(knowns),
  );
  return fc
    .oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 4 }) })
    .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')));
}

function headers(knowns: FuzzKnowns): fc.Arbitrary<Record<string, string>> {
  type Headers = Record<string, string>;
  const credential: fc.Arbitrary<Headers> = fc.oneof(
    // The first known token (root) often: it may do everything, so its requests reach the handlers.
    { weight: 8, arbitrary: fc.constant<Headers>({ authorization: `Bearer ${knowns.tokens[0]}` }) },
    { weight: 6, arbitrary: fc.constantFrom(...knowns.tokens).map((t): Headers => ({ authorization: `Bearer ${t}` })) },
    { weight: 5, arbitrary: tokenValue(knowns).map((t): Headers => ({ authorization: `Bearer ${t}` })) },
    { weight: 1, arbitrary: tokenValue(knowns).map((t): Headers => ({ 'x-api-key': t })) },
    { weight: 1, arbitrary: tokenValue(knowns).map((t): Headers => ({ 'auth-token': t })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ maxLength: 20 }), tokenValue(knowns))
        .map(([id, t]): Headers => ({ authorization: `Basic ${Buffer.from(`${id}:${t}`).toString('base64')}` })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Headers>(
        {},
        { authorization: '' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer  ' },
        { authorization: 'Negotiate x' },
      ),
    },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    fc.constantFrom(
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      '',
    ),
  );
  const extra = fc.dictionary(
    fc.constantFrom(
      'x-required-scopes',
      'x-forwarded-for',
      'x-real-ip',
      'accept',
      'if-none-match',
      'x-forwarded-uri',
      'x-original-uri',
      'x-request-id',
      'user-agent',
    ),
    fc.oneof(
      fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      fc.constantFrom('tokens:read admin', '1.2.3.4', '::1', 'text/csv', '*/*'),
    ),
    { maxKeys: 3 },
  );
  return fc.tuple(credential, contentType, extra).map(([c, type, rest]): Headers => ({ ...rest, ...c, ...(type ? { 'content-type': type } : {}) }));
}

/** Requests to the given routes, with every part fuzzed; the method is sometimes another one. */
export function fuzzRequest(routes: FuzzRoute[], knowns: FuzzKnowns): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      // The writes (create, rotate, revoke) more often: they are where a rejected request could still write.
      fc.oneof(...routes.map((route) => ({ weight: route.method !== 'GET' && route.path.startsWith('/v1/projects/') ? 6 : 1, arbitrary: fc.constant(route) }))),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS') },
      ),
    )
    .chain(([route, otherMethod]) => {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const segments = fc.tuple(...names.map((n) => pathSegment(n, knowns)));
      const method = otherMethod ?? route.method;
      // The route's own body half the time: a create body to create, a rotate body (or none) to rotate.
      // On /oauth2, client credentials in the body (no Authorization header) a third of the time.
      const oauth = route.path.startsWith('/oauth2/');
      const own = oauth
        ? oauthParams(knowns)
        : route.path.endsWith('/rotate')
          ? nearlyValid(knowns).rotate
          : route.path.endsWith('/tokens')
            ? nearlyValid(knowns).create
            : null;
      const body = own
        ? fc.oneof(
            payload(knowns),
            own.map((b) => JSON.stringify(b)),
            fc.constant(undefined),
          )
        : payload(knowns);
      const requestHeaders = fc
        .tuple(headers(knowns), fc.boolean(), fc.boolean())
        .map(([h, drop, again]) => (oauth && drop && again ? Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'authorization')) : h));
      return fc
        .record({ segments, query: query(knowns), headers: requestHeaders, payload: body })
        .map(({ segments: values, query: q, headers: h, payload: p }) => {
          let path = route.path;
          names.forEach((n, i) => (path = path.replace(`{${n}}`, values[i])));
          const withBody = method !== 'GET' && method !== 'HEAD' && p !== undefined;
          return { method, url: path + q, headers: h, payload: withBody ? p : undefined };
        });
    });
}
