import Database from 'better-sqlite3';
import { join } from 'node:path';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { until } from './support/reminder-behaviour';

type AuditItem = { position: number; streamId: string; type: string; data: Record<string, unknown>; metadata: Record<string, any>; recordedAt: string };

/** GET /v1/audit/events|export|verify through a real listening server. */
describe('audit API', () => {
  let server: LedgerServer;
  let root: string;
  let shopAuditor: { id: string; value: string };
  let shopReader: { id: string; value: string };
  let billing: { id: string };

  const create = async (project: string, scopes: string[], token = root) => {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, { token, body: { name: `n-${scopes.join('+')}`, scopes } });
    expect(res.status).toBe(201);
    return { id: res.body.token.id as string, value: res.body.value as string };
  };
  const events = (query: string, token = root) => call(server, 'GET', `/v1/audit/events${query}`, { token });

  beforeAll(async () => {
    server = await startLedgerServer();
    root = server.rootToken;
    shopAuditor = await create('shop', ['audit:read']);
    shopReader = await create('shop', ['tokens:read']);
    billing = await create('billing', ['orders:read']);
    await call(server, 'DELETE', `/v1/projects/billing/tokens/${billing.id}?reason=leaked`, { token: root });
    await call(server, 'POST', `/v1/projects/shop/tokens/${shopReader.id}/rotate`, { token: root, body: { gracePeriod: 0 } });
    // Rotated with no grace, the old token has expired: the in-process reminders record that
    // (TokenExpired, then ReminderSent for the expired notice). Wait for them, then nothing moves.
    await until(async () => (await events(`?tokenId=${shopReader.id}&type=ReminderSent`)).body.items.length === 1, 10_000, 'the expired reminder');
  });
  afterAll(() => server.close());

  it('lists the whole log in global order for root, with the documented fields', async () => {
    const res = await events('');
    expect(res.status).toBe(200);
    const positions = res.body.items.map((e: AuditItem) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions[0]).toBe(1);
    // The first start records the access token signing key (stream ledger-signing-keys), then the root token.
    expect(res.body.items.map((e: AuditItem) => e.type)).toEqual([
      'SigningKeyCreated',
      'TokenCreated',
      'TokenCreated',
      'TokenCreated',
      'TokenCreated',
      'TokenRevoked',
      'TokenRotated',
      'TokenCreated',
      'TokenExpired',
      'ReminderSent',
    ]);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['data', 'id', 'metadata', 'position', 'recordedAt', 'revision', 'streamId', 'type']);
    expect(res.body.items[0].metadata.prevHash).toMatch(/^0{64}$/);
    expect(res.body.next).toBeNull();
  });

  it('filters by project, token, type, actor and time', async () => {
    const byProject = await events('?projectId=billing');
    expect(byProject.body.items.map((e: AuditItem) => e.type)).toEqual(['TokenCreated', 'TokenRevoked']);

    const byToken = await events(`?tokenId=${shopReader.id}`);
    expect(byToken.body.items.map((e: AuditItem) => [e.streamId, e.type])).toEqual([
      [`token-${shopReader.id}`, 'TokenCreated'],
      [`token-${shopReader.id}`, 'TokenRotated'],
      [`token-${shopReader.id}`, 'TokenExpired'],
      [`token-${shopReader.id}`, 'ReminderSent'],
    ]);

    const byTypes = await events('?type=TokenRevoked,TokenRotated');
    expect(byTypes.body.items.map((e: AuditItem) => e.type)).toEqual(['TokenRevoked', 'TokenRotated']);

    const all = (await events('')).body.items as AuditItem[];
    const rootId = all.find((e) => e.type === 'TokenCreated')!.data.tokenId as string;
    const byActor = await events(`?actor=token:${rootId}`);
    // All but the signing key, the bootstrap's own creation and the two the reminders recorded.
    expect(byActor.body.items).toHaveLength(all.length - 4);
    expect((await events('?actor=system:bootstrap')).body.items).toHaveLength(1);
    expect((await events('?actor=system:signing-key')).body.items.map((e: AuditItem) => e.type)).toEqual(['SigningKeyCreated']);
    expect((await events('?actor=system:reminders')).body.items.map((e: AuditItem) => e.type)).toEqual(['TokenExpired', 'ReminderSent']);
    expect((await events(`?actor=${rootId}`)).body.items).toHaveLength(all.length - 4);

    const from = all[4].recordedAt;
    const ranged = await events(`?from=${from}`);
    expect(ranged.body.items.every((e: AuditItem) => e.recordedAt >= from)).toBe(true);
    expect(ranged.body.items.map((e: AuditItem) => e.position)).toContain(all[4].position);
    const before = await events(`?to=${from}`);
    expect(before.body.items.every((e: AuditItem) => e.recordedAt < from)).toBe(true);
    expect(ranged.body.items.length + before.body.items.length).toBe(all.length);
  });

  it('limits an auditor to its own project and refuses others', async () => {
    const own = await events('', shopAuditor.value);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((e: AuditItem) => e.data.projectId === 'shop')).toBe(true);

    const other = await events('?projectId=billing', shopAuditor.value);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('insufficient_scope');

    const noScope = await events('', shopReader.value);
    expect(noScope.status).toBe(401); // rotated with no grace: no longer valid
    const reader = await create('shop', ['tokens:read']);
    const forbidden = await events('', reader.value);
    expect(forbidden.status).toBe(403);
    expect((await call(server, 'GET', '/v1/audit/events')).status).toBe(401);
    for (const path of ['/v1/audit/export', '/v1/audit/verify']) {
      expect((await call(server, 'GET', `${path}?projectId=billing`, { token: shopAuditor.value })).status).toBe(403);
      expect((await call(server, 'GET', path, { token: reader.value })).status).toBe(403);
    }
  });

  it('answers bad filters with 400 and the error shape', async () => {
    for (const query of [
      '?limit=0',
      '?limit=1001',
      '?after=-1',
      '?after=x',
      '?from=yesterday',
      '?to=2026-13-01',
      '?projectId=Shop!',
      '?tokenId=abc',
      '?type=Token;DROP',
      '?unknown=1',
    ]) {
      const res = await events(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await call(server, 'GET', '/v1/audit/export?format=xml', { token: root })).status).toBe(400);
  });

  it('pages with `after` without gaps or duplicates while events are being appended', async () => {
    const writers = (async () => {
      for (let round = 0; round < 8; round++) {
        await Promise.all(Array.from({ length: 10 }, () => create('busy', ['metrics'])));
      }
    })();
    const seen: number[] = [];
    let after = 0;
    let writing = true;
    void writers.finally(() => (writing = false));
    // Keep paging while writers run, then drain what they left: the log's tail keeps moving.
    for (let pages = 0; pages < 10_000; pages++) {
      const res = await events(`?after=${after}&limit=7`);
      expect(res.status).toBe(200);
      for (const e of res.body.items as AuditItem[]) seen.push(e.position);
      if (res.body.items.length > 0) after = res.body.items.at(-1).position;
      if (res.body.next !== null) expect(res.body.next).toBe(after);
      if (res.body.next === null && !writing) break;
    }
    await writers;
    const head = (await events(`?after=${after}`)).body.items as AuditItem[];
    seen.push(...head.map((e) => e.position));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    expect(seen.length).toBeGreaterThanOrEqual(7 + 80);
  });

  it('exports ndjson and csv (by ?format= or Accept) with a trailer giving count and head', async () => {
    const verify = await call(server, 'GET', '/v1/audit/verify', { token: root });
    const ndjson = await fetch(`${server.url}/v1/audit/export`, { headers: { authorization: `Bearer ${root}` } });
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await ndjson.text()).trimEnd().split('\n');
    const trailer = JSON.parse(lines.at(-1)!).trailer;
    expect(trailer).toMatchObject({ format: 'token-ledger-audit/1', count: lines.length - 1 });
    // The export of the whole log and the verify of the whole log agree on the chain head.
    if (verify.body.lastPosition === trailer.lastPosition) expect(trailer.head).toBe(verify.body.head);

    const csvByAccept = await fetch(`${server.url}/v1/audit/export?projectId=billing`, { headers: { authorization: `Bearer ${root}`, accept: 'text/csv' } });
    expect(csvByAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = (await csvByAccept.text()).trimEnd().split('\n');
    expect(csv[0]).toBe('position,id,streamId,revision,type,recordedAt,hash,data,metadata');
    expect(csv).toHaveLength(4);
    expect(csv[3]).toMatch(/^# \{"trailer":\{"format":"token-ledger-audit\/1","count":2,/);
    const csvByFormat = await fetch(`${server.url}/v1/audit/export?format=csv&projectId=billing`, { headers: { authorization: `Bearer ${root}` } });
    expect((await csvByFormat.text()).split('\n')[1]).toBe(csv[1]);
  });

  it('checks a recorded head, which covers the last event of a stream too', async () => {
    const before = await call(server, 'GET', '/v1/audit/verify', { token: root });
    const { head, lastPosition } = before.body;
    const anchored = await call(server, 'GET', `/v1/audit/verify?head=${head}&position=${lastPosition}`, { token: root });
    expect(anchored.body).toMatchObject({ ok: true, anchor: { position: lastPosition, head, actual: head, ok: true } });

    // The reminder is the last event of the rotated token's stream: no later link pins it.
    const last = (await events(`?tokenId=${shopReader.id}`)).body.items.at(-1) as AuditItem;
    expect(last.type).toBe('ReminderSent');
    const db = new Database(join(server.dataDir, 'events.sqlite'));
    try {
      db.prepare('UPDATE events SET data = replace(data, \'"channel":"\', \'"channel":"x\') WHERE position = ?').run(last.position);
    } finally {
      db.close();
    }
    expect((await call(server, 'GET', '/v1/audit/verify', { token: root })).body.ok).toBe(true);
    const caught = await call(server, 'GET', `/v1/audit/verify?head=${head}&position=${lastPosition}`, { token: root });
    expect(caught.body).toMatchObject({ ok: false, brokenCount: 0, anchor: { ok: false, head } });
    expect(caught.body.anchor.actual).not.toBe(head);

    for (const query of ['?head=abc&position=3', `?head=${head}`, '?position=3', `?head=${head}&position=0`]) {
      expect([query, (await call(server, 'GET', `/v1/audit/verify${query}`, { token: root })).status]).toEqual([query, 400]);
    }
  });

  it('verifies every chain, and names the event whose bytes were edited in the SQLite file', async () => {
    const ok = await call(server, 'GET', '/v1/audit/verify', { token: root });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, broken: [], brokenCount: 0 });
    expect(ok.body.events).toBe(ok.body.lastPosition);
    const own = await call(server, 'GET', '/v1/audit/verify', { token: shopAuditor.value });
    expect(own.body.ok).toBe(true);
    expect(own.body.events).toBeLessThan(ok.body.events);

    // The billing token's creation is followed by its revocation, whose prevHash pins it.
    const created = (await events(`?tokenId=${billing.id}`)).body.items[0] as AuditItem;
    const db = new Database(join(server.dataDir, 'events.sqlite'));
    try {
      const raw = db.prepare('SELECT data FROM events WHERE position = ?').pluck().get(created.position) as string;
      const edited = raw.replace('"orders:read"', '"orders:write"');
      expect(edited).not.toBe(raw);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(edited, created.position);
    } finally {
      db.close();
    }
    const broken = await call(server, 'GET', '/v1/audit/verify', { token: root });
    expect(broken.body.ok).toBe(false);
    expect(broken.body.broken[0]).toMatchObject({ position: created.position, streamId: `token-${billing.id}`, revision: 0, reason: 'altered' });
    expect(broken.body.broken[0].message).toContain(`position ${created.position}`);
  });
});
