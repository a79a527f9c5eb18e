import type { EventStore } from './event-store.port';

/** The signing keys' stream (the token domain names it too): the ledger writes it on its own first start. */
const SIGNING_KEYS_STREAM = 'ledger-signing-keys';
const LOOK_AHEAD = 50;

/**
 * Whether the ledger holds any token yet. The first start records its access token signing key
 * before (or while) the root token is bootstrapped, so "empty" means no event beyond those keys;
 * a log that starts with many key events is taken as not empty (never a second root token).
 */
export async function hasTokenEvents(store: EventStore): Promise<boolean> {
  if ((await store.headPosition()) === 0) return false;
  const first = await store.readAll({ maxCount: LOOK_AHEAD });
  return first.length === LOOK_AHEAD || first.some((e) => e.streamId !== SIGNING_KEYS_STREAM);
}
