import type { Command } from 'commander';
import type { ProjectTokenCounts } from '@ledger/projections';
import { ServerClient } from '../server-client';
import type { SourceOptions } from '../ledger-source';
import { tokensAsOf } from './replay.command';

/** From the data directory: the tokens replayed up to now, counted as GET /v1/projects counts them. */
async function projectsInDataDir(source: SourceOptions): Promise<ProjectTokenCounts[]> {
  const counts = new Map<string, ProjectTokenCounts['tokens']>();
  for (const token of await tokensAsOf(source, new Date(), undefined)) {
    const row = counts.get(token.projectId) ?? { active: 0, revoked: 0, expired: 0, total: 0 };
    row[token.status]++;
    row.total++;
    counts.set(token.projectId, row);
  }
  return [...counts.keys()].sort().map((projectId) => ({ projectId, tokens: counts.get(projectId)! }));
}

function projectTable(projects: ProjectTokenCounts[]): string {
  const cells = [
    ['PROJECT', 'ACTIVE', 'REVOKED', 'EXPIRED', 'TOTAL'],
    ...projects.map(({ projectId, tokens: t }) => [projectId, ...[t.active, t.revoked, t.expired, t.total].map(String)]),
  ];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  // The project left-aligned, the counts right-aligned.
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return cells.map(line).join('\n') + '\n';
}

export function projectsCommand(program: Command, sourceOptions: () => SourceOptions): void {
  const projects = program.command('projects').description('projects and their tokens');
  projects
    .command('list')
    .description('every project with its tokens counted by status (against --server: those the token may see)')
    .option('--json', 'JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const source = sourceOptions();
      const client = source.server ? new ServerClient(source.server, source.token ?? process.env.LEDGER_TOKEN) : null;
      const list = client ? (await client.json<{ items: ProjectTokenCounts[] }>('/v1/projects')).items : await projectsInDataDir(source);
      process.stdout.write(options.json ? JSON.stringify(list, null, 2) + '\n' : list.length ? projectTable(list) : 'No projects.\n');
    });
}
