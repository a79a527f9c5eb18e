import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TokenListQueries } from '@ledger/projections';
import { ListProjectsQuery } from './list-projects.query';
import type { ProjectListView } from './project-list.view';

/** A project exists once it has a token: the counts come from the token list read model. */
@QueryHandler(ListProjectsQuery)
export class ListProjectsHandler implements IQueryHandler<ListProjectsQuery, ProjectListView> {
  constructor(private readonly queries: TokenListQueries) {}

  async execute({ only }: ListProjectsQuery): Promise<ProjectListView> {
    return { items: this.queries.projects(new Date(), only === 'all' ? null : only) };
  }
}
