/** Metadata every ledger event carries (docs/architecture.md, "Events"). */
export type Actor = { type: 'token' | 'system' | 'cli'; id: string };

/** What the caller knows about the request that caused a command. */
// Types rather than interfaces: a type alias is assignable to the store's Record<string, unknown> metadata.
export type CommandContext = {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  /** Id of the event or request that caused this command. */
  causationId: string | null;
};

export type EventMetadata = CommandContext & {
  schemaVersion: number;
  /** When the command was decided (the command's clock), covered by the hash chain. */
  occurredAt: string;
  /** Hash of the previous event of the same stream (GENESIS_HASH for the first one). */
  prevHash: string;
};

export const SCHEMA_VERSION = 1;

export const systemContext = (id: string): CommandContext => ({
  actor: { type: 'system', id },
  requestId: null,
  ip: null,
  userAgent: null,
  correlationId: null,
  causationId: null,
});
