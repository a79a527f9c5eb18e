import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/require-scope.decorator';
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
  @ApiOkResponse({ type: TokenView })
  @ApiNotFoundResponse({ description: 'No such token in this project' })
  get(
    @Param('projectId', ProjectIdPipe) projectId: string,
    @Param('tokenId', TokenIdPipe) tokenId: string,
    @Query() query: AsOfRequest,
  ): Promise<TokenView> {
    return this.queryBus.execute(new GetTokenQuery(projectId, tokenId, query.asOf));
  }
}
