import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parseDuration, parseInstant } from '@ledger/token-domain';
import { commandCaller } from '../../credentials/caller';
import { mintToken } from '@ledger/tokens';
import { ProjectTokenQuota } from '../project-token-quota';
import { TokenStream } from '../../store/token-stream';
import type { IssuedToken } from '../token-view';
import { CreateTokenCommand } from './create-token.command';

@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler implements ICommandHandler<CreateTokenCommand, IssuedToken> {
  constructor(
    private readonly tokens: TokenStream,
    private readonly quota: ProjectTokenQuota,
  ) {}

  /** Parsing stays here; every rule about who may create what is the decider's (token-authorization.ts). */
  execute(command: CreateTokenCommand): Promise<IssuedToken> {
    return this.quota.within(command.projectId, () => this.create(command));
  }

  private async create({ projectId, request, caller, context }: CreateTokenCommand): Promise<IssuedToken> {
    const now = new Date();
    const type = request.type ?? 'project';
    const minted = mintToken(type);
    const result = await this.tokens.execute(
      {
        type: 'CreateToken',
        data: {
          caller: commandCaller(caller),
          tokenId: minted.tokenId,
          projectId,
          name: request.name,
          tokenType: type,
          ownerId: request.ownerId ?? null,
          scopes: request.scopes,
          expiresAt: request.expiresAt === undefined ? null : parseInstant(request.expiresAt), // checked by IsInstant
          expiresInSeconds: request.expiresIn === undefined ? undefined : (parseDuration(request.expiresIn) as number),
          secretHash: minted.secretHash,
          hint: minted.hint,
          metadata: request.metadata ?? {},
          rotatedFrom: null,
          now,
        },
      },
      context,
      // The id was minted just now: no stream to read before deciding (the append still checks).
      { newStream: true },
    );
    const token = await this.tokens.viewAfter(result.position, projectId, minted.tokenId);
    return { token, value: minted.value };
  }
}
