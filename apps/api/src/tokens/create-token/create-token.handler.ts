import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parseDuration, parseInstant, RESERVED_SCOPES, SYSTEM_PROJECT, grantsScope, type LedgerScope } from '@ledger/token-domain';
import { isRoot, type Caller } from '../../auth/caller';
import { ApiError } from '../../http/api-error';
import { mintToken } from '../mint-token';
import { TokenStream } from '../token-stream';
import type { IssuedToken } from '../token-view';
import { CreateTokenCommand } from './create-token.command';
import type { CreateTokenRequest } from './create-token.request.dto';

@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler implements ICommandHandler<CreateTokenCommand, IssuedToken> {
  constructor(private readonly tokens: TokenStream) {}

  async execute({ projectId, request, caller, context }: CreateTokenCommand): Promise<IssuedToken> {
    if (projectId === SYSTEM_PROJECT) {
      throw ApiError.badRequest('reserved_project', `tokens of ${SYSTEM_PROJECT} are created only by bootstrap`);
    }
    checkGrantableScopes(request.scopes, caller);
    if (request.ownerId !== undefined && request.type !== 'personal') {
      throw ApiError.badRequest('validation_failed', 'ownerId is only for personal tokens');
    }
    const now = new Date();
    const type = request.type ?? 'project';
    const minted = mintToken(type);
    const result = await this.tokens.execute(
      {
        type: 'CreateToken',
        data: {
          tokenId: minted.tokenId,
          projectId,
          name: request.name,
          tokenType: type,
          ownerId: request.ownerId ?? null,
          scopes: request.scopes,
          expiresAt: expiry(request, now),
          secretHash: minted.secretHash,
          hint: minted.hint,
          metadata: request.metadata ?? {},
          rotatedFrom: null,
          now,
        },
      },
      context,
    );
    const token = await this.tokens.viewAfter(result.position, projectId, minted.tokenId);
    return { token, value: minted.value };
  }
}

function expiry(request: CreateTokenRequest, now: Date): Date | null {
  if (request.expiresIn !== undefined && request.expiresAt !== undefined) {
    throw ApiError.badRequest('validation_failed', 'give either expiresIn or expiresAt, not both');
  }
  if (request.expiresIn !== undefined) return new Date(now.getTime() + (parseDuration(request.expiresIn) as number) * 1000);
  if (request.expiresAt !== undefined) return parseInstant(request.expiresAt) as Date; // checked by IsInstant
  return null;
}

/** A caller can only hand out the ledger permissions it holds itself; `root` is never handed out. */
function checkGrantableScopes(scopes: string[], caller: Caller): void {
  if (scopes.includes('root')) throw ApiError.badRequest('reserved_scope', 'scope root belongs to the root token only');
  if (isRoot(caller)) return;
  const beyond = scopes.filter((s) => RESERVED_SCOPES.includes(s) && !grantsScope(caller.scopes, s as LedgerScope));
  if (beyond.length > 0) throw ApiError.forbidden(`this token cannot grant ${beyond.join(', ')}`, beyond[0]);
}
