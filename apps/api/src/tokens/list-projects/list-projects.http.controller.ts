import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { projectsVisibleTo } from '@ledger/token-domain';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ListProjectsQuery } from './list-projects.query';
import { ProjectListView } from './project-list.view';

@ApiTags('projects')
@Controller('v1/projects')
export class ListProjectsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('tokens:read')
  @ApiOperation({
    operationId: 'listProjects',
    summary: 'Projects with their tokens counted by status: every project for root, its own for any other token',
  })
  @ApiOkResponse({ type: ProjectListView })
  list(@CurrentCaller() caller: Caller): Promise<ProjectListView> {
    return this.queryBus.execute(new ListProjectsQuery(projectsVisibleTo(caller)));
  }
}
