import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { LedgerScope } from '@ledger/token-domain';
import { REQUIRED_SCOPE } from './caller';
import { CallerGuard } from './caller.guard';

/** The route needs a valid token holding `scope` on the path's project (or root). */
export const RequireScope = (scope: LedgerScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    UseGuards(CallerGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials' }),
    ApiForbiddenResponse({ description: `Token lacks ${scope} on this project` }),
  );
