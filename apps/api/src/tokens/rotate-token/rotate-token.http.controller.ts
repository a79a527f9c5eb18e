import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors, BODY_ERRORS } from '../../openapi/api-errors.decorator';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { commandContext } from '../../http/request-context';
import { RotatedToken } from '../token-view';
import { RotateTokenCommand } from './rotate-token.command';
import { RotateTokenRequest } from './rotate-token.request.dto';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class RotateTokenHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':tokenId/rotate')
  @HttpCode(201)
  @RequireScope('tokens:write')
  @ApiOperation({ operationId: 'rotateToken', summary: 'Replace a token by a new one; the old one works for a grace period' })
  @ApiErrors([...BODY_ERRORS, 404, 409], { 404: 'No such token in this project', 409: 'The token is revoked, expired or already rotated' })
  @ApiCreatedResponse({ type: RotatedToken, description: 'The new token and its value, shown only here' })
  rotate(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Param('tokenId', TokenIdPipe) tokenId: string,
    @Body() body: RotateTokenRequest,
    @CurrentCaller() caller: Caller,
    @Req() request: FastifyRequest,
  ): Promise<RotatedToken> {
    return this.commandBus.execute(new RotateTokenCommand(projectId, tokenId, body, caller, commandContext(request, caller)));
  }
}
