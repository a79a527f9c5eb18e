import { authorizeSigningKeyRotation } from './token-authorization';
import type { CommandCaller } from './token.commands';
import { TokenCommandError } from './token.errors';

/**
 * The keys that sign access tokens, as ledger facts on one system stream, so that the audit log
 * shows which keys were valid when. Only public keys are recorded: the private key lives in a
 * file outside the log (the API's signing-key file), and the decider refuses a JWK carrying one.
 */
export const SIGNING_KEYS_STREAM = 'ledger-signing-keys';

export type PublicJwk = { kty: string; crv?: string; x?: string; y?: string; kid?: string; alg?: string; use?: string };

export type SigningKeyCreated = {
  type: 'SigningKeyCreated';
  data: { kid: string; algorithm: string; publicJwk: PublicJwk; createdAt: string };
};

/** The key signs no more; tokens it signed verify until `verifiableUntil` (their longest lifetime). */
export type SigningKeyRetired = {
  type: 'SigningKeyRetired';
  data: { kid: string; retiredAt: string; verifiableUntil: string };
};

export type SigningKeyEvent = SigningKeyCreated | SigningKeyRetired;

/** The signing-key stream's events, by type (see isTokenEvent). */
export const isSigningKeyEvent = <E extends { type: string }>(event: E): event is E & SigningKeyEvent =>
  event.type === 'SigningKeyCreated' || event.type === 'SigningKeyRetired';

/**
 * Start signing with a new key; the current one (if any) is retired in the same decision.
 * `onlyIfNone`: a first start's key, recorded only while no key is active (replicas starting at
 * once on a new ledger: the first one's key stands, the others record nothing).
 * `retireNow`: the current key leaked: it verifies nothing from now on (its tokens end at the
 * ledger and it leaves the JWKS) instead of staying until every token it signed has expired.
 */
export type ActivateSigningKey = {
  type: 'ActivateSigningKey';
  data: {
    caller: CommandCaller;
    kid: string;
    algorithm: string;
    publicJwk: PublicJwk;
    maxTokenLifetimeSeconds: number;
    now: Date;
    onlyIfNone?: boolean;
    retireNow?: boolean;
  };
};

export type SigningKey = SigningKeyCreated['data'] & { retiredAt: string | null; verifiableUntil: string | null };
export type SigningKeyState = { keys: SigningKey[] };

export const initialSigningKeyState = (): SigningKeyState => ({ keys: [] });

export function evolveSigningKeys(state: SigningKeyState, event: SigningKeyEvent): SigningKeyState {
  switch (event.type) {
    case 'SigningKeyCreated':
      return { keys: [...state.keys, { ...event.data, retiredAt: null, verifiableUntil: null }] };
    case 'SigningKeyRetired':
      return {
        keys: state.keys.map((k) => (k.kid === event.data.kid ? { ...k, retiredAt: event.data.retiredAt, verifiableUntil: event.data.verifiableUntil } : k)),
      };
    default: {
      const other: never = event;
      return other && state;
    }
  }
}

/** The key that signs now: the one created last and not retired. */
export const activeSigningKey = (state: SigningKeyState): SigningKey | undefined => [...state.keys].reverse().find((k) => k.retiredAt === null);

/** Keys whose tokens may still be valid at `now`: the active one and the retired ones not yet past their tokens' lifetime. */
export const verifyingKeys = (state: SigningKeyState, now: Date): SigningKey[] =>
  state.keys.filter((k) => k.verifiableUntil === null || Date.parse(k.verifiableUntil) > now.getTime());

/** JWK members of private (and symmetric) keys: none may ever reach an event. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

export function decideSigningKey(command: ActivateSigningKey, state: SigningKeyState): SigningKeyEvent[] {
  const { data } = command;
  authorizeSigningKeyRotation(data.caller);
  if (PRIVATE_MEMBERS.some((m) => m in data.publicJwk)) {
    throw new TokenCommandError('invalid', 'private_key_material', 'a signing key is recorded by its public JWK only');
  }
  if (state.keys.some((k) => k.kid === data.kid)) throw new TokenCommandError('conflict', 'signing_key_exists', `signing key ${data.kid} was already recorded`);
  if (!Number.isSafeInteger(data.maxTokenLifetimeSeconds) || data.maxTokenLifetimeSeconds <= 0) {
    throw new TokenCommandError('invalid', 'validation_failed', 'the longest access token lifetime must be a positive number of seconds');
  }
  const now = data.now.toISOString();
  const current = activeSigningKey(state);
  if (current && data.onlyIfNone) return [];
  const retired: SigningKeyEvent[] = current
    ? [
        {
          type: 'SigningKeyRetired',
          data: {
            kid: current.kid,
            retiredAt: now,
            verifiableUntil: data.retireNow ? now : new Date(data.now.getTime() + data.maxTokenLifetimeSeconds * 1000).toISOString(),
          },
        },
      ]
    : [];
  const publicJwk = { ...data.publicJwk, kid: data.kid, alg: data.algorithm, use: 'sig' };
  return [...retired, { type: 'SigningKeyCreated', data: { kid: data.kid, algorithm: data.algorithm, publicJwk, createdAt: now } }];
}

export const signingKeyDecider = { decide: decideSigningKey, evolve: evolveSigningKeys, initialState: initialSigningKeyState, isEvent: isSigningKeyEvent };
