import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { mayAct, type Caller } from '../../auth/caller';
import { TokenHistoryPage } from './audit-event.view';
import { TokenHistoryQuery } from './token-history.query';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class TokenHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':tokenId/events')
  @RequireScope('tokens:read')
  @ApiOkResponse({ type: TokenHistoryPage, description: "The token's history, oldest first; without client IPs, user agents and secret hashes unless the caller holds audit:read" })
  @ApiNotFoundResponse({ description: 'No such token in this project' })
  history(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Param('tokenId', TokenIdPipe) tokenId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<TokenHistoryPage> {
    return this.queryBus.execute(new TokenHistoryQuery(projectId, tokenId, mayAct(caller, 'audit:read', projectId)));
  }
}
