import type { CommandContext, CommandResult } from '@ledger/event-store';
import type { TokenEvent, TokenFacts, TokenRotated, TokenState } from '@ledger/token-domain';
import type { TokenStream } from '../token-stream';

/**
 * The second half of a rotation: TokenCreated on the new token's stream, built only from the
 * old token's facts and its TokenRotated event, so that an interrupted rotation can be finished
 * later from the ledger alone. The old stream is written first: it is where two concurrent
 * rotations collide, and it decides which one wins.
 */
export function completeRotation(
  tokens: TokenStream,
  old: TokenFacts,
  rotated: TokenRotated & { id: string },
  context: CommandContext,
): Promise<CommandResult<TokenEvent, TokenState>> {
  const { newTokenId, newToken, rotatedAt } = rotated.data;
  return tokens.execute(
    {
      type: 'CreateToken',
      data: {
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
    { ...context, causationId: rotated.id },
  );
}
