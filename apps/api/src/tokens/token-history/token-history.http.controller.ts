import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { AuditEventPage } from './audit-event.view';
import { TokenHistoryQuery } from './token-history.query';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class TokenHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':tokenId/events')
  @RequireScope('tokens:read')
  @ApiOkResponse({ type: AuditEventPage, description: "The token's full history, oldest first" })
  @ApiNotFoundResponse({ description: 'No such token in this project' })
  history(@Param('projectId', ProjectIdPipe) projectId: string, @Param('tokenId', TokenIdPipe) tokenId: string): Promise<AuditEventPage> {
    return this.queryBus.execute(new TokenHistoryQuery(projectId, tokenId));
  }
}
