import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TokenStream } from '../token-stream';
import type { TokenView } from '../token-view';
import { RevokeTokenCommand } from './revoke-token.command';

/** Idempotent: revoking a revoked token answers its current view and records nothing. */
@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand, TokenView> {
  constructor(private readonly tokens: TokenStream) {}

  async execute({ projectId, tokenId, reason, context }: RevokeTokenCommand): Promise<TokenView> {
    const result = await this.tokens.execute(
      { type: 'RevokeToken', data: { tokenId, projectId, reason, now: new Date() } },
      context,
    );
    return this.tokens.viewAfter(result.position, projectId, tokenId);
  }
}
