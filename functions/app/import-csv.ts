// Import files as text: a CSV file's rows as the import takes them, and the rejects file written back, for the ops
// CLI (files on disk) and the bill drop (objects the utility's billing system puts in the exchange bucket) alike.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { ImportRecord } from '#domain/import-cells';
import { checkHeader, IMPORT_COLUMNS, type ImportKind } from '#domain/import-columns';
import type { ImportReject, ImportRow } from './import.ts';

/** One data row under a header; a row whose shape does not fit the header carries a problem. */
export function importRowOf(header: readonly string[], line: number, fields: readonly string[]): ImportRow {
  const record: ImportRecord = {};
  header.forEach((name, i) => {
    if (name !== '') record[name] = fields[i] ?? '';
  });
  const columns = header.findLastIndex((name) => name !== '') + 1;
  const stray = fields.findIndex((value, i) => (header[i] ?? '') === '' && value.trim() !== '');
  let problem: string | undefined;
  if (fields.length < columns) {
    problem = `the row has ${fields.length} fields where the header has ${columns} (a missing comma, or an unclosed quote?)`;
  } else if (stray >= 0) {
    problem = `the row has a value ("${fields[stray]}") in field ${stray + 1}, which the header does not name (an extra comma?)`;
  }
  return problem === undefined ? { line, record } : { line, record, problem };
}

/** The rejects file: line, reason, then the original columns; with a BOM when the input had one (Excel needs it). */
export function rejectsCsv(
  header: readonly string[],
  rejects: readonly ImportReject[],
  bom: boolean,
): string {
  const columns = ['line', 'reason', ...header.filter((name) => name !== '')];
  const text = stringify(
    rejects.map((reject) => ({ ...reject.record, line: reject.line, reason: reject.reason })),
    { header: true, columns },
  );
  return bom ? `\uFEFF${text}` : text;
}

const parsedRows = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) }));

export type CsvText =
  | { ok: true; header: string[]; bom: boolean; rows: ImportRow[] }
  | { ok: false; problem: string };

/**
 * A whole file's bytes as import rows, checked as the ops CLI checks a file before writing anything: UTF-8 (a BOM
 * is dropped), valid CSV, a header naming the kind's columns. Line numbers are 1-based, counting the header.
 */
export function csvTextRows(kind: ImportKind, bytes: Uint8Array): CsvText {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, problem: 'The file is not UTF-8 text: save it as "CSV UTF-8" and drop it again.' };
  }
  const bom = text.startsWith('\uFEFF');
  if (bom) text = text.slice(1);
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, csv-parse yields { record, info } per row, which its typings do not say.
    parsed = parsedRows.parse(
      parse(text.replace(/\r\n?/g, '\n'), { info: true, relax_column_count: true, skip_empty_lines: true }),
    );
  } catch (error) {
    return { ok: false, problem: `The file is not valid CSV: ${(error as Error).message}` };
  }
  const nonBlank = parsed.filter(({ record }) => !record.every((value) => value.trim() === ''));
  const [first, ...data] = nonBlank;
  if (!first) {
    return {
      ok: false,
      problem: `The file is empty: it needs a header row naming the columns ${IMPORT_COLUMNS[kind].required.join(', ')}.`,
    };
  }
  const header = first.record.map((name) => name.trim().toLowerCase());
  const problem = checkHeader(kind, header);
  if (problem) return { ok: false, problem };
  const rows = data.map(({ record, info }) => {
    // info.lines is the line the row ends on; a quoted field may span several lines.
    const breaks = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
    return importRowOf(header, info.lines - breaks, record);
  });
  return { ok: true, header, bom, rows };
}
