import type { IssuedTokenView, RotatedTokenView, TokenView } from '@ledger/tokens';

const FIELDS: Array<[string, (t: TokenView) => string | null]> = [
  ['id', (t) => t.id],
  ['project', (t) => t.projectId],
  ['name', (t) => t.name],
  ['type', (t) => t.type],
  ['owner', (t) => t.ownerId],
  ['status', (t) => t.status],
  ['scopes', (t) => (t.scopes.length ? t.scopes.join(', ') : '(none)')],
  ['metadata', (t) => (Object.keys(t.metadata).length ? JSON.stringify(t.metadata) : null)],
  ['hint', (t) => t.hint],
  ['created', (t) => t.createdAt],
  ['expires', (t) => t.expiresAt ?? 'never'],
  ['last used', (t) => (t.lastUsedAt ? `${t.lastUsedAt} (${t.useCount} uses)` : 'never')],
  ['revoked', (t) => (t.revokedAt ? `${t.revokedAt}${t.revokeReason ? ` (${t.revokeReason})` : ''}` : null)],
  ['rotated from', (t) => t.rotatedFrom],
  ['rotated to', (t) => t.rotatedTo],
];

/** One token as `field: value` lines, empty fields left out (never the value or its hash: TokenView has neither). */
export function tokenDetails(token: TokenView): string {
  const rows = FIELDS.map(([label, cell]) => [label, cell(token)] as const).filter(([, value]) => value !== null);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join('\n') + '\n';
}

export function printToken(token: TokenView, json: boolean): void {
  process.stdout.write(json ? JSON.stringify(token, null, 2) + '\n' : tokenDetails(token));
}

export interface IssueOutput {
  json?: boolean;
  quiet?: boolean;
}

/**
 * A token just created or rotated. Its value is printed here once and nowhere else; with
 * --quiet it is the whole of stdout (`VALUE=$(ledger tokens create … --quiet)`).
 */
export function printIssued(issued: IssuedTokenView | RotatedTokenView, output: IssueOutput, heading: string): void {
  if (output.quiet) return void process.stdout.write(issued.value + '\n');
  if (output.json) return void process.stdout.write(JSON.stringify(issued, null, 2) + '\n');
  const previous = 'previous' in issued ? `The old token ${issued.previous.id} works until ${issued.previous.expiresAt ?? 'it is revoked'}.\n` : '';
  process.stdout.write(`${heading}\n${tokenDetails(issued.token)}${previous}\nValue (shown once, store it now):\n${issued.value}\n`);
}
