import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '@ledger/event-store';
import { parseDuration, tokenNotFound, type TokenRotated } from '@ledger/token-domain';
import { commandCaller } from '../../credentials/caller';
import { mintToken } from '@ledger/tokens';
import { ProjectTokenQuota } from '../project-token-quota';
import { TokenStream } from '../../store/token-stream';
import type { RotatedToken } from '../token-view';
import { completeRotation } from './complete-rotation';
import { RotateTokenCommand } from './rotate-token.command';
import type { RotateTokenRequest } from './rotate-token.request.dto';

const DEFAULT_GRACE_SECONDS = 24 * 3600;

@CommandHandler(RotateTokenCommand)
export class RotateTokenHandler implements ICommandHandler<RotateTokenCommand, RotatedToken> {
  constructor(
    private readonly tokens: TokenStream,
    private readonly quota: ProjectTokenQuota,
  ) {}

  /** With a grace, old and new verify side by side: one more active token while it lasts. */
  execute(command: RotateTokenCommand): Promise<RotatedToken> {
    const grace = graceSeconds(command.request);
    return grace > 0 ? this.quota.within(command.projectId, () => this.rotate(command, grace)) : this.rotate(command, grace);
  }

  private async rotate({ projectId, tokenId, caller, request, context }: RotateTokenCommand, gracePeriodSeconds: number): Promise<RotatedToken> {
    const current = await this.tokens.state(tokenId);
    // The new value carries the old token's type letter, so the type is needed before deciding.
    if (current.status === 'absent' || current.token.projectId !== projectId) throw tokenNotFound(tokenId);
    const minted = mintToken(current.token.type);
    const rotation = await this.tokens.execute(
      {
        type: 'RotateToken',
        data: {
          caller: commandCaller(caller),
          tokenId,
          projectId,
          newTokenId: minted.tokenId,
          newSecretHash: minted.secretHash,
          newHint: minted.hint,
          gracePeriodSeconds,
          expiresInSeconds: request.expiresIn === undefined ? undefined : (parseDuration(request.expiresIn) as number),
          now: new Date(),
        },
      },
      context,
    );
    const rotated = rotation.appended[0] as TokenRotated & { id: string; metadata: EventMetadata };
    const old = rotation.state.status === 'active' ? rotation.state.token : current.token;
    const created = await completeRotation(this.tokens, old, rotated);
    const token = await this.tokens.viewAfter(created.position, projectId, minted.tokenId);
    return { token, value: minted.value, previous: { id: tokenId, expiresAt: rotated.data.graceUntil } };
  }
}

const graceSeconds = (request: RotateTokenRequest): number =>
  request.gracePeriod === undefined ? DEFAULT_GRACE_SECONDS : (parseDuration(request.gracePeriod) as number);
