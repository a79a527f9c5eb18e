import type { TokenView } from '@ledger/tokens';

const COLUMNS: Array<[string, (t: TokenView) => string]> = [
  ['ID', (t) => t.id],
  ['PROJECT', (t) => t.projectId],
  ['NAME', (t) => t.name],
  ['TYPE', (t) => t.type],
  ['STATUS', (t) => t.status],
  ['SCOPES', (t) => t.scopes.join(',')],
  ['CREATED', (t) => t.createdAt],
  ['EXPIRES', (t) => t.expiresAt ?? '-'],
  ['HINT', (t) => t.hint],
];

/** Tokens as an aligned text table (never the value or its hash: TokenView has neither). */
export function tokenTable(tokens: TokenView[]): string {
  const cells = [COLUMNS.map(([title]) => title), ...tokens.map((t) => COLUMNS.map(([, cell]) => cell(t)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return (
    cells
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function printTokens(tokens: TokenView[], json: boolean): void {
  process.stdout.write(json ? JSON.stringify(tokens, null, 2) + '\n' : tokens.length ? tokenTable(tokens) : 'No tokens.\n');
}
