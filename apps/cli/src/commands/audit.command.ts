import type { Command } from 'commander';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { verifyEventStore, type ChainAnchor, type ChainReport } from '@ledger/event-store';
import { checkExportFile, exportAuditLog, type AuditFilter, type ExportFileReport, type ExportFormat } from '@ledger/projections';
import { CliError, parseTime } from '../cli-error';
import { closeSource, openSource, type SourceOptions } from '../ledger-source';

interface ExportOptions {
  format: string;
  out?: string;
  project?: string;
  tokenId?: string;
  type?: string;
  actor?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

function filterOf(options: ExportOptions): AuditFilter {
  return {
    projectId: options.project,
    tokenId: options.tokenId,
    types: options.type?.split(','),
    actor: options.actor,
    from: options.from ? parseTime('--from', options.from) : undefined,
    to: options.to ? parseTime('--to', options.to) : undefined,
  };
}

async function exportLog(sourceOptions: SourceOptions, options: ExportOptions): Promise<void> {
  if (options.json) {
    if (options.format === 'csv') throw new CliError('--json writes ndjson (JSON lines); it cannot be combined with --format csv');
    options.format = 'ndjson';
  }
  if (options.format !== 'ndjson' && options.format !== 'csv') throw new CliError(`--format must be ndjson or csv (got "${options.format}")`);
  const format: ExportFormat = options.format;
  const filter = filterOf(options);
  const source = openSource(sourceOptions);
  try {
    const chunks =
      source.kind === 'server'
        ? withNewlines(
            source.client.lines('/v1/audit/export', {
              format,
              projectId: filter.projectId,
              tokenId: filter.tokenId,
              type: options.type,
              actor: filter.actor,
              from: filter.from?.toISOString(),
              to: filter.to?.toISOString(),
            }),
          )
        : exportAuditLog(source.store, filter, format);
    const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
    // pipeline waits for the file to be flushed; stdout is left open for the process to end.
    await pipeline(Readable.from(chunks), out, { end: !!options.out });
  } finally {
    await closeSource(source);
  }
}

async function* withNewlines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield line + '\n';
}

function describe(report: ChainReport | ExportFileReport, what: string): string {
  const lines = [`${what}: ${report.events} events in ${report.streams} streams, head ${report.head} at position ${report.lastPosition}`];
  for (const b of report.broken) lines.push(`BROKEN ${b.reason}: ${b.message}`);
  if (report.brokenCount > report.broken.length) lines.push(`… ${report.brokenCount - report.broken.length} more broken events`);
  for (const problem of 'problems' in report ? report.problems : []) lines.push(`PROBLEM: ${problem}`);
  if (report.anchor)
    lines.push(
      report.anchor.ok ? `ANCHOR OK: the head at position ${report.anchor.position} is the recorded one` : `ANCHOR FAILED: ${anchorProblem(report.anchor)}`,
    );
  lines.push(report.ok ? 'OK: every hash chain is intact' : `FAILED: ${firstProblem(report)}`);
  return lines.join('\n') + '\n';
}

function anchorProblem(anchor: NonNullable<ChainReport['anchor']>): string {
  return anchor.actual === null
    ? `no event at position ${anchor.position} was checked, so the recorded head cannot be compared`
    : `the head at position ${anchor.position} is ${anchor.actual}, not the recorded ${anchor.head}: an event at or before it was altered, removed or added`;
}

function firstProblem(report: ChainReport | ExportFileReport): string {
  return (
    report.broken[0]?.message ??
    ('problems' in report ? report.problems[0] : undefined) ??
    (report.anchor && !report.anchor.ok ? anchorProblem(report.anchor) : 'hash chain broken')
  );
}

function anchorOf(options: VerifyOptions): ChainAnchor | undefined {
  if (options.expectHead === undefined && options.at === undefined) return undefined;
  if (!/^[0-9a-f]{64}$/.test(options.expectHead ?? '') || !/^[1-9]\d*$/.test(options.at ?? '')) {
    throw new CliError('--expect-head needs 64 lowercase hex characters and --at the position it was recorded at');
  }
  return { head: options.expectHead!, position: Number(options.at) };
}

interface VerifyOptions {
  file?: string;
  json?: boolean;
  expectHead?: string;
  at?: string;
}

async function verify(sourceOptions: SourceOptions, options: VerifyOptions): Promise<void> {
  const anchor = anchorOf(options);
  let report: ChainReport | ExportFileReport;
  let what: string;
  if (options.file) {
    if (!existsSync(options.file)) throw new CliError(`--file ${options.file} does not exist`);
    report = await checkExportFile(createInterface({ input: createReadStream(options.file), crlfDelay: Infinity }), anchor);
    what = `export ${options.file}`;
  } else {
    const source = openSource(sourceOptions);
    try {
      report =
        source.kind === 'server'
          ? await source.client.json<ChainReport>('/v1/audit/verify', { head: anchor?.head, position: anchor?.position })
          : await verifyEventStore(source.store, undefined, anchor);
      what = source.kind === 'server' ? `ledger at ${sourceOptions.server}` : `ledger in ${source.dataDir}`;
    } finally {
      await closeSource(source);
    }
  }
  process.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : describe(report, what));
  // The details are on stdout; stderr gets the one line that says why the exit is non-zero.
  if (!report.ok) throw new CliError(`verification failed: ${firstProblem(report)}`, 2);
}

export function auditCommand(program: Command, sourceOptions: () => SourceOptions): void {
  const audit = program.command('audit').description('the audit log: export it, verify it');
  audit
    .command('export')
    .description('write the log (or a filtered part) as ndjson or csv, ending with a trailer line (count, chain head)')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--json', 'JSON lines: the same as --format ndjson (the default)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--project <projectId>', 'only events of this project')
    .option('--token-id <tokenId>', "only events of this token's stream")
    .option('--type <types>', 'only these event types (comma-separated)')
    .option('--actor <actor>', 'only events by this actor (id or type:id)')
    .option('--from <time>', 'recorded at or after (ISO-8601)')
    .option('--to <time>', 'recorded before (ISO-8601)')
    .action((options: ExportOptions) => exportLog(sourceOptions(), options));
  audit
    .command('verify')
    .description('recompute every hash chain (of the ledger, or of an export file) and name the first broken event')
    .option('--file <export>', 'check this export file (ndjson or csv) instead of the ledger')
    .option('--expect-head <head>', 'a head recorded earlier (an export trailer, a previous verify) to compare with')
    .option('--at <position>', 'the position --expect-head was recorded at')
    .option('--json', 'print the report as JSON')
    .action((options: VerifyOptions) => verify(sourceOptions(), options));
}
