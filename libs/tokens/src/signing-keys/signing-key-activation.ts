import { handleCommand, type CommandContext, type EventStore, type GlobalPosition } from '@ledger/event-store';
import { SIGNING_KEYS_STREAM, signingKeyDecider, type CommandCaller } from '@ledger/token-domain';
import { addSigningKey, generateSigningKey, publicHalf, SIGNING_ALGORITHM, type PrivateSigningKey } from './signing-key-file';

export interface ActivatedKey {
  kid: string;
  /** The key it replaced, verifiable until every token it signed has expired. */
  retired: { kid: string; verifiableUntil: string } | null;
  position: GlobalPosition | null;
}

/**
 * Starts signing with `key` (a new one when not given): the private key goes to the key file
 * first, so that a recorded key never lacks its private half, then SigningKeyCreated (and
 * SigningKeyRetired for the one it replaces) goes to the ledger. Shared by the API's first start,
 * its root-only rotate route and `ledger keys rotate`. Null when `onlyIfNone` and a key was active.
 * `retireNow` (a leaked key): the replaced key verifies nothing from now on.
 */
export async function activateSigningKey(
  store: EventStore,
  options: {
    keyFile: string;
    caller: CommandCaller;
    context: CommandContext;
    maxTokenLifetimeSeconds: number;
    key?: PrivateSigningKey;
    onlyIfNone?: boolean;
    retireNow?: boolean;
  },
): Promise<ActivatedKey | null> {
  const key = options.key ?? (await generateSigningKey()).privateJwk;
  if (!options.key) addSigningKey(options.keyFile, key);
  const result = await handleCommand(
    store,
    SIGNING_KEYS_STREAM,
    signingKeyDecider,
    {
      type: 'ActivateSigningKey',
      data: {
        caller: options.caller,
        kid: key.kid,
        algorithm: SIGNING_ALGORITHM,
        publicJwk: publicHalf(key),
        maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds,
        now: new Date(),
        onlyIfNone: options.onlyIfNone,
        retireNow: options.retireNow,
      },
    },
    options.context,
    { retries: 3 },
  );
  // Another replica's first key stood: this one's stays unused in the file.
  if (result.appended.length === 0) return null;
  const retired = result.appended.find((e) => e.type === 'SigningKeyRetired');
  return {
    kid: key.kid,
    retired: retired?.type === 'SigningKeyRetired' ? { kid: retired.data.kid, verifiableUntil: retired.data.verifiableUntil } : null,
    position: result.position,
  };
}
