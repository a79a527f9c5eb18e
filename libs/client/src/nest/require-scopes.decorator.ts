import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import type { VerifiedToken } from '../verified-token';
import { LedgerAuthGuard } from './ledger-auth.guard';
import { REQUIRED_SCOPES } from './ledger-auth.tokens';

/** The route (or every route of the controller) needs a token holding all of these scopes. */
export const RequireScopes = (...scopes: string[]) => applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), UseGuards(LedgerAuthGuard));

/** The token the guard verified, as a handler parameter. */
export const LedgerToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext): VerifiedToken | undefined => context.switchToHttp().getRequest<{ ledgerToken?: VerifiedToken }>().ledgerToken,
);
