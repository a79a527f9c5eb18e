/** Projects with their tokens counted by status; `only` = the one project the caller may see, or all. */
export class ListProjectsQuery {
  /** `only`: 'all', or the one project id the caller may see. */
  constructor(readonly only: string) {}
}
