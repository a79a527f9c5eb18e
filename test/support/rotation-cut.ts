import { handleCommand, systemContext, type EventStore } from '@ledger/event-store';
import { tokenDecider, tokenStreamId } from '@ledger/token-domain';
import { mintToken } from '@ledger/tokens';

/**
 * Records only the first half of a rotation of `tokenId` (TokenRotated on the old stream, no
 * TokenCreated for the new one), as a process killed between the two appends would leave it.
 */
export async function appendRotationCut(store: EventStore, tokenId: string, projectId = 'shop') {
  const minted = mintToken('project');
  const result = await handleCommand(
    store,
    tokenStreamId(tokenId),
    tokenDecider,
    {
      type: 'RotateToken',
      data: {
        caller: { kind: 'system', id: 'cut-test' },
        tokenId,
        projectId,
        newTokenId: minted.tokenId,
        newSecretHash: minted.secretHash,
        newHint: minted.hint,
        gracePeriodSeconds: 3600,
        now: new Date(),
      },
    },
    systemContext('cut-test'),
  );
  return { minted, appended: result.appended };
}
