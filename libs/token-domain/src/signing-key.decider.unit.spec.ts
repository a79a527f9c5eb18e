import {
  activeSigningKey,
  decideSigningKey,
  evolveSigningKeys,
  signingKeyDecider,
  initialSigningKeyState,
  verifyingKeys,
  type ActivateSigningKey,
  type SigningKeyEvent,
} from './signing-key';
import { deciderSpec } from './testing/given-when-then';
import type { CommandCaller } from './token.commands';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const DAY = 86_400;
const SYSTEM: CommandCaller = { kind: 'system', id: 'signing-key' };
const JWK = { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy' };

const activate = (kid: string, now: Date, overrides: Partial<ActivateSigningKey['data']> = {}): ActivateSigningKey => ({
  type: 'ActivateSigningKey',
  data: { caller: SYSTEM, kid, algorithm: 'ES256', publicJwk: JWK, maxTokenLifetimeSeconds: DAY, now, ...overrides },
});

const { given } = deciderSpec(signingKeyDecider);

const created = (kid: string, when: Date): SigningKeyEvent => ({
  type: 'SigningKeyCreated',
  data: { kid, algorithm: 'ES256', publicJwk: { ...JWK, kid, alg: 'ES256', use: 'sig' }, createdAt: when.toISOString() },
});

describe('signing keys', () => {
  it('the first key is created, nothing retired', () => {
    given([])
      .when(activate('k1', T0))
      .then([created('k1', T0)]);
  });

  it('a rotation retires the current key until every token it signed has expired, then creates the new one', () => {
    given([created('k1', T0)])
      .when(activate('k2', at(100)))
      .then([
        { type: 'SigningKeyRetired', data: { kid: 'k1', retiredAt: at(100).toISOString(), verifiableUntil: at(100 + DAY).toISOString() } },
        created('k2', at(100)),
      ]);
  });

  it('the retired key verifies until its tokens expire; the new one signs', () => {
    const events = [created('k1', T0), ...decideSigningKey(activate('k2', at(100)), given([created('k1', T0)]).state)];
    const state = events.reduce(evolveSigningKeys, initialSigningKeyState());
    expect(activeSigningKey(state)?.kid).toBe('k2');
    expect(verifyingKeys(state, at(100 + DAY - 1)).map((k) => k.kid)).toEqual(['k1', 'k2']);
    expect(verifyingKeys(state, at(100 + DAY)).map((k) => k.kid)).toEqual(['k2']);
  });

  it("a first start's key is recorded only while none is active (replicas starting at once)", () => {
    given([])
      .when(activate('k1', T0, { onlyIfNone: true }))
      .then([created('k1', T0)]);
    given([created('k0', T0)])
      .when(activate('k1', at(1), { onlyIfNone: true }))
      .then([]);
  });

  it('never records private key material', () => {
    given([])
      .when(activate('k1', T0, { publicJwk: { ...JWK, d: 'secret' } as never }))
      .thenThrows('private_key_material');
    given([])
      .when(activate('k1', T0, { publicJwk: { kty: 'oct', k: 'secret' } as never }))
      .thenThrows('private_key_material');
  });

  it('refuses a kid already recorded (a retired key never signs again)', () => {
    given([created('k1', T0)])
      .when(activate('k1', at(5)))
      .thenThrows('signing_key_exists');
  });

  it('only the ledger itself or the root token rotates', () => {
    const admin: CommandCaller = { kind: 'token', tokenId: 't', projectId: 'shop', scopes: ['admin'], expiresAt: null };
    const root: CommandCaller = { kind: 'token', tokenId: 'r', projectId: '_system', scopes: ['root'], expiresAt: null };
    given([created('k1', T0)])
      .when(activate('k2', at(1), { caller: admin }))
      .thenThrows('insufficient_scope');
    expect(decideSigningKey(activate('k2', at(1), { caller: root }), given([created('k1', T0)]).state)).toHaveLength(2);
  });
  // Security review (jwt-fixes, 3): a leaked key must stop verifying at once, not after a day.
  it('retireNow: the current key is verifiable no longer, and leaves the verifying keys at once', () => {
    given([created('k1', T0)])
      .when(activate('k2', at(100), { retireNow: true }))
      .then([
        { type: 'SigningKeyRetired', data: { kid: 'k1', retiredAt: at(100).toISOString(), verifiableUntil: at(100).toISOString() } },
        created('k2', at(100)),
      ]);
    const events = [created('k1', T0), ...decideSigningKey(activate('k2', at(100), { retireNow: true }), given([created('k1', T0)]).state)];
    const state = events.reduce(evolveSigningKeys, initialSigningKeyState());
    expect(verifyingKeys(state, at(100)).map((k) => k.kid)).toEqual(['k2']);
  });
});
