import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { mayAct, type Caller } from '../../credentials/caller';
import { TokenHistoryPage } from './audit-event.view';
import { TokenHistoryQuery } from './token-history.query';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class TokenHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':tokenId/events')
  @RequireScope('tokens:read')
  @ApiOperation({ operationId: 'getTokenHistory', summary: "A token's events, oldest first" })
  @ApiErrors([400, 404], { 404: 'No such token in this project' })
  @ApiOkResponse({
    type: TokenHistoryPage,
    description: "The token's history, oldest first; without client IPs, user agents and secret hashes unless the caller holds audit:read",
  })
  history(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Param('tokenId', TokenIdPipe) tokenId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<TokenHistoryPage> {
    return this.queryBus.execute(new TokenHistoryQuery(projectId, tokenId, mayAct(caller, 'audit:read', projectId)));
  }
}
