import { Body, Controller, HttpCode, Param, Patch, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiError } from '../../http/api-error';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { ApiErrors, BODY_ERRORS } from '../../openapi/api-errors.decorator';
import { commandContext } from '../../http/request-context';
import { TokenView } from '../token-view';
import { UpdateTokenCommand } from './update-token.command';
import { UpdateTokenRequest } from './update-token.request.dto';

const EDITABLE = ['name', 'metadata', 'scopes', 'expiresIn', 'expiresAt'] as const;

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class UpdateTokenHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch(':tokenId')
  @HttpCode(200)
  @RequireScope('tokens:write')
  @ApiOperation({
    operationId: 'updateToken',
    summary: 'Rename, replace metadata, narrow scopes or shorten the expiry (never widen, never extend)',
  })
  @ApiErrors([...BODY_ERRORS, 404, 409], {
    400: 'Empty edit, unknown field, a scope the token does not hold, or a later expiry',
    404: 'No such token in this project',
    409: 'The token is revoked or expired, or was changed concurrently',
  })
  @ApiOkResponse({ type: TokenView, description: 'The token as edited (unchanged when the edit changed nothing)' })
  update(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Param('tokenId', TokenIdPipe) tokenId: string,
    @Body() body: UpdateTokenRequest,
    @CurrentCaller() caller: Caller,
    @Req() request: FastifyRequest,
  ): Promise<TokenView> {
    // Before any read of the store: a body-less PATCH is a client mistake, not a no-op.
    if (EDITABLE.every((field) => body[field] === undefined)) {
      throw ApiError.badRequest('empty_update', `give at least one of ${EDITABLE.join(', ')}`);
    }
    return this.commandBus.execute(new UpdateTokenCommand(projectId, tokenId, body, caller, commandContext(request, caller)));
  }
}
