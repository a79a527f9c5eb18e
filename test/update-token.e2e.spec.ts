import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';
import { sleep, until } from './support/reminder-behaviour';

const DAY = 86_400_000;

/** PATCH /v1/projects/:p/tokens/:id through a real listening server: the rules, every projection, history, asOf. */
describe('PATCH a token (editable tokens)', () => {
  let server: LedgerServer;
  let root: string;

  beforeAll(async () => {
    server = await startLedgerServer({ env: { ADMIN_RATE_LIMIT: 'off' } });
    root = server.rootToken;
  });
  afterAll(() => server.close());

  async function issue(project: string, body: Record<string, unknown> = {}, token = root) {
    const res = await call(server, 'POST', `/v1/projects/${project}/tokens`, {
      token,
      body: { name: 'billing', scopes: ['orders:read', 'orders:write'], expiresIn: '30d', metadata: { team: 'pay' }, ...body },
    });
    expect(res.status).toBe(201);
    return res.body as { token: { id: string; expiresAt: string; createdAt: string }; value: string };
  }
  const patch = (project: string, id: string, body: unknown, token = root) => call(server, 'PATCH', `/v1/projects/${project}/tokens/${id}`, { token, body });
  const verify = (value: string, scopes: string[]) => call(server, 'POST', '/v1/tokens/verify', { body: { token: value, scopes } }).then((r) => r.body);

  it('renames, replaces metadata, narrows scopes and shortens expiry in one TokenUpdated, seen by every read', async () => {
    const { token, value } = await issue('edit');
    await sleep(20);
    const beforeEdit = new Date().toISOString();
    await sleep(20);
    const newEnd = new Date(Date.now() + 3 * DAY).toISOString();
    const res = await patch('edit', token.id, { name: 'billing v2', metadata: { owner: 'ops' }, scopes: ['orders:read'], expiresAt: newEnd });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: token.id,
      name: 'billing v2',
      metadata: { owner: 'ops' },
      scopes: ['orders:read'],
      expiresAt: newEnd,
      status: 'active',
    });

    // The verification index: the removed scope no longer verifies, the kept one does.
    expect(await verify(value, ['orders:read'])).toMatchObject({ valid: true, scopes: ['orders:read'], expiresAt: newEnd });
    expect(await verify(value, ['orders:write'])).toMatchObject({ valid: false, code: 'insufficient_scope' });
    // The token list.
    const list = await call(server, 'GET', '/v1/projects/edit/tokens', { token: root });
    expect(list.body.items[0]).toMatchObject({ name: 'billing v2', scopes: ['orders:read'], expiresAt: newEnd });

    // History and audit: one event with before/after of each changed field.
    const history = await call(server, 'GET', `/v1/projects/edit/tokens/${token.id}/events`, { token: root });
    const updated = history.body.items.filter((e: { type: string }) => e.type === 'TokenUpdated');
    expect(updated).toHaveLength(1);
    expect(updated[0].data.changes).toEqual({
      name: { before: 'billing', after: 'billing v2' },
      metadata: { before: { team: 'pay' }, after: { owner: 'ops' } },
      scopes: { before: ['orders:read', 'orders:write'], after: ['orders:read'] },
      expiresAt: { before: token.expiresAt, after: newEnd },
    });
    const audit = await call(server, 'GET', `/v1/audit/events?tokenId=${token.id}&type=TokenUpdated`, { token: root });
    expect(audit.body.items).toHaveLength(1);
    expect(JSON.stringify(history.body)).not.toContain(value);

    // asOf before the edit shows the old values; asOf now the new ones.
    const old = await call(server, 'GET', `/v1/projects/edit/tokens/${token.id}?asOf=${beforeEdit}`, { token: root });
    expect(old.body).toMatchObject({ name: 'billing', metadata: { team: 'pay' }, scopes: ['orders:read', 'orders:write'], expiresAt: token.expiresAt });
    const oldList = await call(server, 'GET', `/v1/projects/edit/tokens?asOf=${beforeEdit}`, { token: root });
    expect(oldList.body.items[0]).toMatchObject({ name: 'billing', scopes: ['orders:read', 'orders:write'] });
    const now = await call(server, 'GET', `/v1/projects/edit/tokens/${token.id}?asOf=${new Date().toISOString()}`, { token: root });
    expect(now.body).toMatchObject({ name: 'billing v2', scopes: ['orders:read'], expiresAt: newEnd });
  });

  it('moves the reminders of a shortened expiry (the old ones cancelled, new ones pending)', async () => {
    const { token } = await issue('edit-reminders');
    const pending = async () =>
      (await call(server, 'GET', '/v1/reminders?projectId=edit-reminders&status=pending', { token: root })).body.items as Array<{ kind: string; due: string }>;
    await until(async () => (await pending()).length === 4, 5000, 'the 14d, 7d and 1d warnings and the expiry notice');
    const res = await patch('edit-reminders', token.id, { expiresIn: '3d' });
    expect(res.status).toBe(200);
    const end = Date.parse(res.body.expiresAt);
    const moved = await until(
      async () => {
        const items = await pending();
        return items.length === 2 && items;
      },
      5000,
      'the reminders of the new expiry',
    );
    expect(moved.map((r) => [r.kind, Date.parse(r.due)])).toEqual([
      ['expiry_warning', end - DAY],
      ['expired', end],
    ]);
    const cancelled = await call(server, 'GET', '/v1/reminders?projectId=edit-reminders&status=cancelled', { token: root });
    expect(cancelled.body.items.map((r: { kind: string }) => r.kind).sort()).toEqual(['expired', 'expiry_warning', 'expiry_warning', 'expiry_warning']);
  });

  describe('the rules', () => {
    let id: string;
    beforeAll(async () => {
      id = (await issue('rules')).token.id;
    });

    it.each([
      ['a scope the token does not hold (widening)', { scopes: ['orders:read', 'refunds'] }, 'scope_widening'],
      ['a later expiry (extending)', { expiresIn: '60d' }, 'expiry_extension'],
      ['an expiry in the past', { expiresAt: '2001-01-01T00:00:00Z' }, 'expiry_in_past'],
      ['an unknown field', { name: 'x', owner: 'me' }, 'validation_failed'],
      ['a field that cannot be edited', { type: 'personal' }, 'validation_failed'],
      ['an empty body', {}, 'empty_update'],
      ['a null name', { name: null }, 'validation_failed'],
      ['an empty name', { name: '' }, 'validation_failed'],
      ['metadata that is not an object', { metadata: [1] }, 'validation_failed'],
      ['both expiresIn and expiresAt', { expiresIn: '1d', expiresAt: new Date(Date.now() + DAY).toISOString() }, 'validation_failed'],
    ])('refuses %s with 400 and writes nothing', async (_what, body, code) => {
      const before = await call(server, 'GET', `/v1/projects/rules/tokens/${id}/events`, { token: root });
      const res = await patch('rules', id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toEqual(expect.any(String));
      const after = await call(server, 'GET', `/v1/projects/rules/tokens/${id}/events`, { token: root });
      expect(after.body.items).toHaveLength(before.body.items.length);
    });

    it('refuses a token value in the name or metadata (secret_in_field), never quoting it', async () => {
      const { value } = await issue('rules');
      for (const body of [{ name: `key ${value}` }, { metadata: { note: value } }]) {
        const res = await patch('rules', id, body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('secret_in_field');
        expect(JSON.stringify(res.body)).not.toContain(value);
      }
    });

    it('refuses a PATCH without any body with a clear 400', async () => {
      const res = await call(server, 'PATCH', `/v1/projects/rules/tokens/${id}`, { token: root });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'empty_update', message: expect.stringContaining('name, metadata, scopes') });
    });

    it('answers 200 and records nothing when nothing changes', async () => {
      const res = await patch('rules', id, { name: 'billing', scopes: ['orders:write', 'orders:read'] });
      expect(res.status).toBe(200);
      const history = await call(server, 'GET', `/v1/projects/rules/tokens/${id}/events`, { token: root });
      expect(history.body.items.map((e: { type: string }) => e.type)).not.toContain('TokenUpdated');
    });

    it('refuses a revoked token (409) and an unknown one (404)', async () => {
      const { token } = await issue('rules');
      expect((await call(server, 'DELETE', `/v1/projects/rules/tokens/${token.id}`, { token: root })).status).toBe(200);
      const res = await patch('rules', token.id, { name: 'x' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('token_revoked');
      expect((await patch('rules', 'tok_0000000000000000000000', { name: 'x' })).status).toBe(404);
      expect((await patch('other', id, { name: 'x' })).status).toBe(404);
    });
    it('refuses a rotated token (409 token_already_rotated): its successor, the live value, stays as wide as before', async () => {
      const { token } = await issue('rules');
      const rotated = await call(server, 'POST', `/v1/projects/rules/tokens/${token.id}/rotate`, { token: root, body: { gracePeriod: '1h' } });
      expect(rotated.status).toBe(201);
      const res = await patch('rules', token.id, { scopes: ['orders:read'] });
      expect([res.status, res.body.error.code]).toEqual([409, 'token_already_rotated']);
      const successor = await call(server, 'GET', `/v1/projects/rules/tokens/${rotated.body.token.id}`, { token: root });
      expect(successor.body.scopes).toEqual(['orders:read', 'orders:write']);
      expect((await patch('rules', rotated.body.token.id, { scopes: ['orders:read'] })).status).toBe(200);
    });
  });

  describe('who may edit', () => {
    it('needs tokens:write, on its own project, and only tokens it could have granted', async () => {
      const target = (await issue('who')).token.id;
      const reader = await issue('who', { scopes: ['tokens:read'] });
      const writer = await issue('who', { scopes: ['tokens:write'] });
      const auditor = (await issue('who', { scopes: ['audit:read'] })).token.id;
      const stranger = await issue('elsewhere', { scopes: ['admin'] });

      expect((await patch('who', target, { name: 'x' }, reader.value)).status).toBe(403);
      expect((await patch('who', target, { name: 'x' }, stranger.value)).status).toBe(403);
      const beyond = await patch('who', auditor, { scopes: [] }, writer.value);
      expect(beyond.status).toBe(403);
      expect(beyond.body.error).toMatchObject({ code: 'insufficient_scope', details: { requiredScope: 'audit:read' } });
      expect((await patch('who', target, { name: 'by writer' }, writer.value)).body.name).toBe('by writer');
      expect((await call(server, 'PATCH', `/v1/projects/who/tokens/${target}`, { body: { name: 'x' } })).status).toBe(401);
    });
  });

  it('concurrent PATCH and revoke leave one consistent history', async () => {
    for (let round = 0; round < 8; round++) {
      const { token, value } = await issue('race');
      const [edit, revoke] = await Promise.all([
        patch('race', token.id, { scopes: ['orders:read'], name: `round ${round}` }),
        call(server, 'DELETE', `/v1/projects/race/tokens/${token.id}`, { token: root }),
      ]);
      expect(revoke.status).toBe(200);
      expect([200, 409]).toContain(edit.status);
      const types = (await call(server, 'GET', `/v1/projects/race/tokens/${token.id}/events`, { token: root })).body.items
        .map((e: { type: string }) => e.type)
        .filter((t: string) => t !== 'TokenUsed');
      // Either the edit came first and the revoke after it, or the edit was refused on the revoked token.
      expect(types).toEqual(edit.status === 200 ? ['TokenCreated', 'TokenUpdated', 'TokenRevoked'] : ['TokenCreated', 'TokenRevoked']);
      if (edit.status === 409) expect(['token_revoked', 'concurrent_modification']).toContain(edit.body.error.code);
      const row = (await call(server, 'GET', `/v1/projects/race/tokens/${token.id}`, { token: root })).body;
      expect(row.status).toBe('revoked');
      expect(row.scopes).toEqual(edit.status === 200 ? ['orders:read'] : ['orders:read', 'orders:write']);
      expect(await verify(value, [])).toMatchObject({ valid: false, code: 'revoked' });
    }
  });

  it('is in the OpenAPI document as updateToken, with its request schema', async () => {
    const doc = (await call(server, 'GET', '/openapi.json')).body;
    const operation = doc.paths['/v1/projects/{projectId}/tokens/{tokenId}'].patch;
    expect(operation.operationId).toBe('updateToken');
    expect(operation.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/UpdateTokenRequest');
    expect(Object.keys(doc.components.schemas.UpdateTokenRequest.properties).sort()).toEqual(['expiresAt', 'expiresIn', 'metadata', 'name', 'scopes']);
    const { expiresIn } = doc.components.schemas.UpdateTokenRequest.properties;
    expect(expiresIn.type).toBeUndefined();
    expect(expiresIn.oneOf.map((s: { type: string }) => s.type)).toEqual(['string', 'integer']);
    expect(doc.components.schemas.UpdateTokenRequest.required ?? []).toEqual([]);
  });
});
