import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors, BODY_ERRORS } from '../../openapi/api-errors.decorator';
import { ProjectIdPipe } from '../../http/path-params';
import { commandContext } from '../../http/request-context';
import { IssuedToken } from '../token-view';
import { CreateTokenCommand } from './create-token.command';
import { CreateTokenRequest } from './create-token.request.dto';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class CreateTokenHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @RequireScope('tokens:write')
  @ApiOperation({ operationId: 'createToken', summary: 'Issue a token; its value is in this answer only' })
  @ApiErrors([...BODY_ERRORS, 409], { 409: 'The project holds its maximum number of tokens' })
  @ApiCreatedResponse({ type: IssuedToken, description: 'The token and its value, shown only here' })
  create(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Body() body: CreateTokenRequest,
    @CurrentCaller() caller: Caller,
    @Req() request: FastifyRequest,
  ): Promise<IssuedToken> {
    return this.commandBus.execute(new CreateTokenCommand(projectId, body, caller, commandContext(request, caller)));
  }
}
