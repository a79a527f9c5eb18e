import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parseDuration, parseInstant } from '@ledger/token-domain';
import { commandCaller } from '../../credentials/caller';
import { TokenStream } from '../../store/token-stream';
import type { TokenView } from '../token-view';
import { UpdateTokenCommand } from './update-token.command';

/** Parsing stays here; what may change and who may change it is the decider's (token-update.ts, token-authorization.ts). */
@CommandHandler(UpdateTokenCommand)
export class UpdateTokenHandler implements ICommandHandler<UpdateTokenCommand, TokenView> {
  constructor(private readonly tokens: TokenStream) {}

  async execute({ projectId, tokenId, request, caller, context }: UpdateTokenCommand): Promise<TokenView> {
    const result = await this.tokens.execute(
      {
        type: 'UpdateToken',
        data: {
          caller: commandCaller(caller),
          tokenId,
          projectId,
          name: request.name,
          metadata: request.metadata,
          scopes: request.scopes,
          expiresAt: request.expiresAt === undefined ? undefined : (parseInstant(request.expiresAt) as Date), // checked by IsInstant
          expiresInSeconds: request.expiresIn === undefined ? undefined : (parseDuration(request.expiresIn) as number),
          now: new Date(),
        },
      },
      context,
    );
    return this.tokens.viewAfter(result.position, projectId, tokenId);
  }
}
