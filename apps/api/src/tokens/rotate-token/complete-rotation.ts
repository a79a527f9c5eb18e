import { createHash } from 'node:crypto';
import { foldStream, type CommandContext, type CommandResult, type EventMetadata } from '@ledger/event-store';
import { tokenDecider, TokenCommandError, type TokenEvent, type TokenFacts, type TokenRotated, type TokenState } from '@ledger/token-domain';
import type { TokenStream } from '../../store/token-stream';

/** A TokenRotated as recorded: its id and metadata make the completion reproducible. */
export type RecordedRotation = Pick<TokenRotated, 'data'> & { id: string; metadata: Partial<EventMetadata> | Record<string, unknown> };

/**
 * The second half of a rotation: TokenCreated on the new token's stream.
 *
 * Order: the old stream is written first. It is where two concurrent rotations collide and it
 * decides which one wins; and its TokenRotated carries everything the TokenCreated needs (new
 * id, secret hash, hint, expiry). If the process dies between the two appends, any replica can
 * write the second one later from the ledger alone (RotationRecovery).
 *
 * The TokenCreated is a pure function of the old token's facts and the TokenRotated event: its
 * id derives from the TokenRotated id, its time is the rotation's, its metadata the rotation's
 * own. So the request that rotated and any recovery write the very same event, appended with
 * no_stream: whichever comes second is a no-op, never a second token or a conflict.
 */
export async function completeRotation(tokens: TokenStream, old: TokenFacts, rotated: RecordedRotation): Promise<CommandResult<TokenEvent, TokenState>> {
  const { newTokenId, newToken, rotatedAt } = rotated.data;
  try {
    return await tokens.execute(
      {
        type: 'CreateToken',
        data: {
          // Decided and authorized already: the TokenRotated on the old stream is the permission.
          caller: { kind: 'system', id: 'rotation' },
          tokenId: newTokenId,
          projectId: old.projectId,
          name: old.name,
          tokenType: old.type,
          ownerId: old.ownerId,
          scopes: old.scopes,
          expiresAt: newToken.expiresAt === null ? null : new Date(newToken.expiresAt),
          secretHash: newToken.secretHash,
          hint: newToken.hint,
          metadata: old.metadata,
          rotatedFrom: old.tokenId,
          now: new Date(rotatedAt),
        },
      },
      rotationContext(rotated),
      { eventIds: [completionEventId(rotated.id)] },
    );
  } catch (error) {
    if (!(error instanceof TokenCommandError && error.code === 'token_exists')) throw error;
    // Completed already (by a recovery, or another replica): the new stream shows it.
    const history = await tokens.history(newTokenId);
    const created = history[0];
    if (created?.type !== 'TokenCreated' || created.data.rotatedFrom !== old.tokenId) throw error;
    return { appended: [], position: history[history.length - 1].position, state: foldStream(tokenDecider, history) };
  }
}

/** The TokenCreated's event id for the rotation recorded as `rotatedEventId` (RFC 4122 layout). */
export function completionEventId(rotatedEventId: string): string {
  const hex = createHash('sha256').update(`rotation-completion:${rotatedEventId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function rotationContext({ id, metadata }: RecordedRotation): CommandContext {
  const m = metadata as Partial<EventMetadata>;
  return {
    actor: m.actor ?? { type: 'system', id: 'rotation-recovery' },
    requestId: m.requestId ?? null,
    ip: m.ip ?? null,
    userAgent: m.userAgent ?? null,
    correlationId: m.correlationId ?? null,
    causationId: id,
  };
}
