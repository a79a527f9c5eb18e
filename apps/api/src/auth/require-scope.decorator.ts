import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { LedgerScope } from '@ledger/token-domain';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { SECURITY_SCHEMES } from '../openapi/openapi-schemas';
import { REQUIRED_SCOPE } from '../credentials/caller';
import { CallerGuard } from './caller.guard';

/**
 * The route needs a valid token holding `scope` on the path's project (or root). Documented as
 * any of the three ways to present it, and with what every admin route can answer.
 */
export const RequireScope = (scope: LedgerScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    UseGuards(CallerGuard),
    ApiSecurity(SECURITY_SCHEMES.bearer),
    ApiSecurity(SECURITY_SCHEMES.apiKey),
    ApiSecurity(SECURITY_SCHEMES.authToken),
    ApiErrors([401, 403, 429, 503], {
      403: scope === 'root' ? 'Not the root token (WWW-Authenticate names the scope)' : `The token lacks ${scope} on this project (WWW-Authenticate names it)`,
    }),
  );
