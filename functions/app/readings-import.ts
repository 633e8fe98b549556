// Use case: import past meter readings (meter readers', the utility's system's) from the rows of a staff file.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { UtilityConfig } from '#config/schema';
import { localDate } from '#domain/calendar';
import { field, type ImportRecord, Problems, parseLocalDate } from '#domain/import-cells';
import { periodOfDate } from '#domain/period';
import { checkAccountNumberField } from './account-rows.ts';
import { parseReadingValues } from './bill-rows.ts';
import {
  type ImportOptions,
  type ImportReject,
  type ImportResult,
  type ImportRow,
  runImport,
} from './import.ts';
import type { Deps } from './ports.ts';
import { ReadingRejected, storeReadingAt } from './readings.ts';

/** One row of a readings file, checked on its own (the account's rules come when it is stored). */
export interface ReadingRow {
  accountNumber: string;
  /** Absent: the account's only meter. */
  meterId?: string;
  values: Record<string, number>;
  /** Local date the meter was read (YYYY-MM-DD). */
  readAt: string;
}

/** One row of a readings file, or every reason it is not one; `today` is the utility's local date. */
export function readingFromRow(
  record: ImportRecord,
  config: UtilityConfig,
  today: string,
): { ok: true; row: ReadingRow } | { ok: false; reason: string } {
  const problems = new Problems();
  const accountNumber = checkAccountNumberField(record, config, problems);
  const text = field(record, 'values');
  if (text === '') problems.add('values', 'is required (e.g. 1234, or day=1234;night=187)');
  const values = text === '' ? undefined : parseReadingValues('values', text, problems);
  const readAt = parseLocalDate(record, 'read_at', problems, true);
  if (readAt && readAt > today) {
    problems.add('read_at', `${readAt} is in the future (today is ${today} in ${config.timeZone})`);
  }
  const meterId = field(record, 'meter');
  if (problems.any || !values || !readAt) return { ok: false, reason: problems.reason };
  return { ok: true, row: { accountNumber, values, readAt, ...(meterId ? { meterId } : {}) } };
}

/** The column a rule's refusal is about, so the rejects file points at the cell to fix. */
const COLUMN_OF_RULE: Record<string, string> = {
  'account-not-found': 'account_number',
  'meter-not-found': 'meter',
  'account-multiple-meters': 'meter',
};

/**
 * The same meter read on the same date is the same reading: a re-imported file finds it and writes nothing.
 * (Hashed: the id is part of the reading's key and of page cursors, which bound its length.)
 */
const importedReadingId = (accountNumber: string, meterId: string, readAt: string) =>
  `imp-${createHash('sha256').update(`${accountNumber}|${meterId}|${readAt}`).digest('hex').slice(0, 40)}`;

/**
 * Stores each good row as a reading with source `import`, under the same rules as a resident's (register count,
 * digits, not below the meter's last known reading from any source) and through the window guard of its read
 * date's month, so it counts for billing like any reading of that window: the last one taken counts. Staff
 * imports are not capped per window. Each reading is one write: a rejected row leaves nothing behind.
 */
export async function importReadings(
  deps: Pick<Deps, 'config' | 'clock' | 'readings'>,
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { config } = deps;
  const today = localDate(deps.clock.now(), config.timeZone);
  return runImport(
    rows,
    // In file order, one batch at a time: a row is judged against the readings of the rows before it.
    { ...options, concurrency: 1 },
    (row) => {
      const mapped = readingFromRow(row.record, config, today);
      return mapped.ok ? { ok: true, item: mapped.row } : mapped;
    },
    (record) => {
      const [account, readAt] = [field(record, 'account_number'), field(record, 'read_at')];
      return account && readAt ? `${account}|${field(record, 'meter')}|${readAt}` : undefined;
    },
    'account_number, meter and read_at',
    async (batch) => {
      let stored = 0;
      const rejects: ImportReject[] = [];
      // One row at a time: rows of one account share its windows, and would only take turns on their guards.
      for (const { row, item } of batch) {
        const reason = await storeImported(deps, item);
        if (reason === undefined) stored += 1;
        else rejects.push({ line: row.line, reason, record: row.record });
      }
      return { stored, rejects };
    },
  );
}

/** Stores one imported reading; the reason it was refused, or undefined once it is stored (now or before). */
async function storeImported(
  deps: Pick<Deps, 'config' | 'clock' | 'readings'>,
  item: ReadingRow,
): Promise<string | undefined> {
  const { timeZone } = deps.config;
  try {
    const result = await storeReadingAt(
      deps,
      { accountNumber: item.accountNumber, meterId: item.meterId, values: item.values, source: 'import' },
      {
        period: periodOfDate(item.readAt),
        // The start of the local day: a resident's reading sent later that day is the later one of the window.
        sentAt: DateTime.fromISO(item.readAt, { zone: timeZone }).startOf('day').toJSDate(),
        readDate: item.readAt,
        limitWindow: false,
        idFor: (meterId) => importedReadingId(item.accountNumber, meterId, item.readAt),
      },
    );
    const earlier = result.alreadyStored;
    if (earlier && !sameValues(earlier.values, item.values)) {
      return `values: this meter's reading of ${item.readAt} was imported before as ${describe(earlier.values)}`;
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof ReadingRejected)) throw error;
    return `${COLUMN_OF_RULE[error.type] ?? 'values'}: ${error.message}`;
  }
}

const sameValues = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

const describe = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([register, value]) => `${register}=${value}`)
    .join(';');
