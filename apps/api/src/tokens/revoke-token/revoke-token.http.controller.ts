import { Controller, Delete, HttpCode, Param, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { commandContext } from '../../http/request-context';
import { PROJECT_THROTTLER } from '../../verification/rate-limit/admin-rate-limit';
import { TokenView } from '../token-view';
import { RevokeTokenCommand } from './revoke-token.command';
import { RevokeTokenQuery } from './revoke-token.request.dto';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class RevokeTokenHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':tokenId')
  @HttpCode(200)
  @RequireScope('tokens:write')
  // A revoke during an incident must get through when the project's bucket is spent (its own token's still counts).
  @SkipThrottle({ [PROJECT_THROTTLER]: true })
  @ApiOperation({ operationId: 'revokeToken', summary: 'Revoke a token (idempotent)' })
  @ApiErrors([400, 404, 409], { 404: 'No such token in this project', 409: 'Changed concurrently; retry' })
  @ApiOkResponse({ type: TokenView, description: 'The token, now revoked (idempotent)' })
  revoke(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Param('tokenId', TokenIdPipe) tokenId: string,
    @Query() query: RevokeTokenQuery,
    @CurrentCaller() caller: Caller,
    @Req() request: FastifyRequest,
  ): Promise<TokenView> {
    return this.commandBus.execute(new RevokeTokenCommand(projectId, tokenId, query.reason ?? null, caller, commandContext(request, caller)));
  }
}
