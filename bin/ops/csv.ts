// Reading import CSV files: UTF-8 (a BOM is dropped), any line ending, 1-based line numbers of where rows start;
// the whole file is checked before anything is written, then its rows are handed to the import one by one.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type { ImportRow } from '#app/import';
import { importRowOf } from '#app/import-csv';
import { checkHeader, IMPORT_COLUMNS, type ImportKind } from '#domain/import-columns';
import { FatalError } from './exit.ts';

interface CsvRow {
  line: number;
  fields: string[];
}

/** Decodes UTF-8 strictly, drops a leading BOM and turns CRLF and lone CR into LF, so line counts hold. */
function normalisedText(file: string, found: { bom: boolean }): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let carry = '';
  let lines = 1;
  let first = true;
  const convert = (text: string) => text.replace(/\r\n?/g, '\n');
  const notUtf8 = (line: number) =>
    new FatalError(
      `${file} is not UTF-8 text (line ${line}): save it as "CSV UTF-8" (Excel) or convert it, then try again.`,
    );
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text: string;
      try {
        text = carry + decoder.decode(chunk, { stream: true });
      } catch {
        // Lenient decoding marks the first bad byte with U+FFFD: the lines before it tell where it is.
        const lenient = chunk.toString('utf8');
        const bad = Math.max(0, lenient.indexOf('\uFFFD'));
        done(notUtf8(lines + (lenient.slice(0, bad).match(/\r\n?|\n/g)?.length ?? 0)));
        return;
      }
      if (first && text.length > 0) {
        first = false;
        if (text.startsWith('\uFEFF')) {
          found.bom = true;
          text = text.slice(1);
        }
      }
      // A CR at the end of a chunk may be the first half of a CRLF.
      carry = text.endsWith('\r') ? '\r' : '';
      const out = convert(carry ? text.slice(0, -1) : text);
      lines += out.match(/\n/g)?.length ?? 0;
      done(null, out.length > 0 ? out : undefined);
    },
    flush(done) {
      let rest: string;
      try {
        rest = convert(carry + decoder.decode());
      } catch {
        done(notUtf8(lines));
        return;
      }
      done(null, rest.length > 0 ? rest : undefined);
    },
  });
}

/** Every non-blank row of a CSV file (the header included) with the line it starts on. */
async function* readCsv(
  path: string,
  file: string,
  found: { bom: boolean } = { bom: false },
): AsyncGenerator<CsvRow> {
  const source = createReadStream(path);
  const text = normalisedText(file, found);
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true });
  source.on('error', (error) => parser.destroy(error));
  text.on('error', (error) => parser.destroy(error));
  source.pipe(text).pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (record.every((value) => value.trim() === '')) continue;
      // info.lines is the line the row ends on; a quoted field may span several lines.
      const breaks = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
      yield { line: info.lines - breaks, fields: record };
    }
  } catch (error) {
    if (error instanceof FatalError) throw error;
    throw new FatalError(`${file} is not valid CSV: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
}

export interface ScannedFile {
  header: string[];
  /** Data rows (non-blank rows after the header). */
  rows: number;
  bom: boolean;
}

/** Reads the whole file once before anything is written: it exists, is UTF-8 CSV, has a good header. */
export async function scanFile(kind: ImportKind, path: string, file: string): Promise<ScannedFile> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new FatalError(`The file ${file} does not exist.`);
  if (!info.isFile()) throw new FatalError(`${file} is not a file.`);
  const found = { bom: false };
  let header: string[] | undefined;
  let rows = 0;
  for await (const row of readCsv(path, file, found)) {
    if (header) {
      rows += 1;
      continue;
    }
    const names = row.fields.map((name) => name.trim().toLowerCase());
    header = names;
    const problem = checkHeader(kind, names);
    if (problem) {
      const kinds: ImportKind[] = ['accounts', 'bills', 'readings'];
      const other = kinds.find((k) => k !== kind && checkHeader(k, names) === undefined);
      const hint = other ? ` It looks like ${other}: use \`import ${other}\`.` : '';
      throw new FatalError(`${file}: ${problem}${hint}`);
    }
  }
  if (!header) {
    throw new FatalError(
      `${file} is empty: it needs a header row naming the columns ${IMPORT_COLUMNS[kind].required.join(', ')}.`,
    );
  }
  return { header, rows, bom: found.bom };
}

/** The data rows as the use case takes them; a row whose shape does not fit the header carries a problem. */
export async function* importRows(path: string, file: string, header: string[]): AsyncGenerator<ImportRow> {
  let isHeader = true;
  for await (const { line, fields } of readCsv(path, file)) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    yield importRowOf(header, line, fields);
  }
}
