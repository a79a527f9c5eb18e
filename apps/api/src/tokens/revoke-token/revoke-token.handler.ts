import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandCaller } from '../../credentials/caller';
import { TokenStream } from '../../store/token-stream';
import type { TokenView } from '../token-view';
import { RevokeTokenCommand } from './revoke-token.command';

/** Idempotent: revoking a revoked token answers its current view and records nothing. */
@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand, TokenView> {
  constructor(private readonly tokens: TokenStream) {}

  async execute({ projectId, tokenId, reason, caller, context }: RevokeTokenCommand): Promise<TokenView> {
    const result = await this.tokens.execute(
      { type: 'RevokeToken', data: { caller: commandCaller(caller), tokenId, projectId, reason, now: new Date() } },
      context,
    );
    return this.tokens.viewAfter(result.position, projectId, tokenId);
  }
}
