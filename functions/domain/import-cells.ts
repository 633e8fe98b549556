// Import cells: the text of one cell of a staff spreadsheet read as a list, an amount or a date, each problem
// named by its column. Pure and dependent on the domain only, so it lives in the domain.
import { z } from 'zod';
import { currencyExponent, toMinor } from './money.ts';

/** One data row as read from a file: column name -> text. Columns absent from the file are absent here. */
export type ImportRecord = Record<string, string | undefined>;

/** ["a", "b", "c"] -> "a, b and c" (or "a, b or c"): items named in one sentence. */
export const list = (items: readonly string[], last = 'and') =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
export const oneOf = (items: readonly string[]) => list(items, 'or');

/** Collects "column: message" problems of one row. */
export class Problems {
  private readonly items: string[] = [];
  add(column: string, message: string): void {
    this.items.push(`${column}: ${message}`);
  }
  get any(): boolean {
    return this.items.length > 0;
  }
  get reason(): string {
    return this.items.join('; ');
  }
}

/** A cell's text, trimmed; "" for a column the file does not have. */
export const field = (record: ImportRecord, column: string): string => (record[column] ?? '').trim();

/** "a; b;" -> ["a", "b"]: the separated parts of a cell, empty parts dropped. */
export const parts = (text: string): string[] =>
  text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** A required cell naming one of `options` in any case: its lower-cased text, with a problem when it is none of them. */
export function choiceField(
  record: ImportRecord,
  column: string,
  options: readonly string[],
  problems: Problems,
): string {
  const text = field(record, column).toLowerCase();
  if (!options.includes(text)) {
    problems.add(
      column,
      text === '' ? `is required (${oneOf(options)})` : `"${field(record, column)}" is not ${oneOf(options)}`,
    );
  }
  return text;
}

/** Maps schema issue paths back to the column the value came from. */
function columnOf(path: PropertyKey[], columns: Record<string, string>): string {
  const joined = path.map(String).join('.');
  for (const [prefix, column] of Object.entries(columns)) {
    if (joined === prefix || joined.startsWith(`${prefix}.`)) return column;
  }
  return joined || '(row)';
}

export function schemaProblems(error: z.ZodError, columns: Record<string, string>, problems: Problems): void {
  for (const issue of error.issues) problems.add(columnOf(issue.path, columns), issue.message);
}

/** Minor units as major units written the way the file writes them: 1234.50 RUB, 13340 KRW. */
export function formatMajor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return (minor / 10 ** exponent).toFixed(exponent);
}

/** Major units written plainly ("1234.56", "-300") to minor units, or a message saying what is wrong. */
export function parseMajor(
  text: string,
  currency: string,
  options: { negative?: boolean } = {},
): { ok: true; minor: number } | { ok: false; message: string } {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    const hint = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? ' (write it without thousands separators)' : '';
    return { ok: false, message: `"${text}" is not an amount${hint}` };
  }
  if (match[1] === '-' && !options.negative) return { ok: false, message: `"${text}" must not be negative` };
  const decimals = match[3]?.length ?? 0;
  if (decimals > exponent) {
    return {
      ok: false,
      message: `"${text}" has ${decimals} decimal${decimals > 1 ? 's' : ''}; ${currency} amounts have ${exponent === 0 ? 'none' : `at most ${exponent}`}`,
    };
  }
  return { ok: true, minor: toMinor(Number(text), currency) };
}

/** An amount cell in minor units; undefined when empty or bad (a problem when bad, or empty and required). */
export function amountField(
  record: ImportRecord,
  column: string,
  currency: string,
  problems: Problems,
  options: { required?: boolean; negative?: boolean } = {},
): number | undefined {
  const text = field(record, column);
  if (text === '') {
    if (options.required) problems.add(column, 'is required');
    return undefined;
  }
  const result = parseMajor(text, currency, options);
  if (!result.ok) {
    problems.add(column, result.message);
    return undefined;
  }
  return result.minor;
}

const localDate = z.iso.date();

/** A YYYY-MM-DD cell; undefined when empty or bad (a problem when bad, or empty and required). */
export function parseLocalDate(record: ImportRecord, column: string, problems: Problems, required: boolean) {
  const text = field(record, column);
  if (text === '') {
    if (required) problems.add(column, 'is required (YYYY-MM-DD)');
    return undefined;
  }
  if (!localDate.safeParse(text).success) {
    problems.add(column, `"${text}" is not a date written YYYY-MM-DD`);
    return undefined;
  }
  return text;
}
