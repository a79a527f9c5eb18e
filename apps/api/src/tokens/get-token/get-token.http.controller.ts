import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { ProjectIdPipe, TokenIdPipe } from '../../http/path-params';
import { AsOfRequest } from '../as-of/as-of.request.dto';
import { TokenView } from '../token-view';
import { GetTokenQuery } from './get-token.query';

@ApiTags('tokens')
@Controller('v1/projects/:projectId/tokens')
export class GetTokenHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':tokenId')
  @RequireScope('tokens:read')
  @ApiOperation({ operationId: 'getToken', summary: 'Read one token, now or as of a past instant' })
  @ApiErrors([400, 404], { 404: 'No such token in this project' })
  @ApiOkResponse({ type: TokenView })
  get(@Param('projectId', ProjectIdPipe) projectId: string, @Param('tokenId', TokenIdPipe) tokenId: string, @Query() query: AsOfRequest): Promise<TokenView> {
    return this.queryBus.execute(new GetTokenQuery(projectId, tokenId, query.asOf));
  }
}
