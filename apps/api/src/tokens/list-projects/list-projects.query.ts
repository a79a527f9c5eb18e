/** Projects with their tokens counted by status; `only` = the one project the caller may see, or all. */
export class ListProjectsQuery {
  constructor(readonly only: 'all' | string) {}
}
