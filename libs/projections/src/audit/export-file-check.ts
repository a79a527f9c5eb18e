import { ChainVerifier, type ChainAnchor, type ChainReport } from '@ledger/event-store';
import { CSV_COLUMNS, CSV_TRAILER_PREFIX, type ExportedEvent, type ExportTrailer } from './audit-export';

export interface ExportFileReport extends ChainReport {
  format: 'ndjson' | 'csv' | null;
  trailer: ExportTrailer | null;
  /** Problems with the file as a whole (missing trailer, count or head not matching, bad lines). */
  problems: string[];
}

/** Splits one CSV record (RFC 4180 quoting; the export never puts a line break inside a field). */
export function parseCsvLine(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const comma = text.indexOf(',', i);
      field = text.slice(i, comma < 0 ? text.length : comma);
      i = comma < 0 ? text.length : comma;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    if (text[i] !== ',') throw new Error(`unexpected character after a quoted field at ${i}`);
    i++;
  }
}

function fromCsv(fields: string[]): ExportedEvent {
  if (fields.length !== CSV_COLUMNS.length) throw new Error(`expected ${CSV_COLUMNS.length} fields, found ${fields.length}`);
  const [position, id, streamId, revision, type, recordedAt, hash, data, metadata] = fields;
  return {
    position: Number(position),
    id,
    streamId,
    revision: Number(revision),
    type,
    recordedAt,
    hash,
    data: JSON.parse(data) as Record<string, unknown>,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
  };
}

/**
 * Checks an export file line by line, in bounded memory: every event's hash against its content,
 * every link between consecutive revisions of a stream, and the trailer's count and head against
 * the events actually in the file. A changed line is named by its event.
 */
export async function checkExportFile(lines: AsyncIterable<string>, anchor?: ChainAnchor): Promise<ExportFileReport> {
  const verifier = new ChainVerifier({ partial: true, anchor });
  const problems: string[] = [];
  let format: ExportFileReport['format'] = null;
  let trailer: ExportTrailer | null = null;
  let count = 0;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const text = raw.replace(/\r$/, '');
    if (text === '') continue;
    if (trailer) {
      problems.push(`line ${lineNo}: content after the trailer`);
      break;
    }
    if (format === null) {
      format = text.startsWith('{') ? 'ndjson' : 'csv';
      if (format === 'csv') {
        if (text !== CSV_COLUMNS.join(',')) problems.push(`line 1: not a ledger export (expected the header ${CSV_COLUMNS.join(',')})`);
        continue;
      }
    }
    try {
      const parsed: unknown =
        format === 'csv' && text.startsWith(CSV_TRAILER_PREFIX.trim())
          ? JSON.parse(text.slice(1).trim())
          : format === 'csv'
            ? fromCsv(parseCsvLine(text))
            : JSON.parse(text);
      if (parsed && typeof parsed === 'object' && 'trailer' in parsed) {
        trailer = (parsed as { trailer: ExportTrailer }).trailer;
        continue;
      }
      const event = parsed as ExportedEvent;
      verifier.add(event);
      count++;
    } catch (error) {
      problems.push(`line ${lineNo}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (trailer?.complete) verifier.addBreaks(verifier.gaps());
  const report = verifier.report();
  if (!trailer) problems.push('no trailer line: the file is truncated or not a ledger export');
  else {
    if (trailer.count !== count) problems.push(`the trailer counts ${trailer.count} events, the file holds ${count}`);
    // An edit that also rewrote the event's hash field (and so passes the per-line check) still
    // changes the head: the trailer pins the content of every event, the streams' last ones too.
    if (trailer.head !== report.head) problems.push(`the trailer's head ${trailer.head} does not match the events in the file (${report.head})`);
  }
  return { ...report, ok: report.ok && problems.length === 0, format, trailer, problems };
}
