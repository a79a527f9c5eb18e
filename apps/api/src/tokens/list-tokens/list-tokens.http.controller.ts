import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { ProjectIdPipe } from '../../http/path-params';
import { TokenPageView } from '../token-view';
import { ListTokensQuery } from './list-tokens.query';
import { ListTokensRequest } from './list-tokens.request.dto';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class ListTokensHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('tokens:read')
  @ApiOperation({ operationId: 'listTokens', summary: "List a project's tokens, now or as of a past instant" })
  @ApiErrors([400])
  @ApiOkResponse({ type: TokenPageView })
  list(@Param('projectId', ProjectIdPipe) projectId: string, @Query() query: ListTokensRequest): Promise<TokenPageView> {
    return this.queryBus.execute(new ListTokensQuery(projectId, query));
  }
}
