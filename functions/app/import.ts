// Use cases: import accounts and bills from the rows of a staff spreadsheet, in batches, rejecting bad rows by line.
import type { UtilityConfig } from '#config/schema';
import type { Bill } from '#domain/bill';
import { field, type ImportRecord } from '#domain/import-cells';
import { accountFromRow } from './account-rows.ts';
import { billFromRow } from './bill-rows.ts';
import { paymentFromRow } from './payment-rows.ts';
import { type PaymentProblem, recordPayment } from './payments.ts';
import type { AccountStore, BillStore, Deps } from './ports.ts';
import { endSubscriptionsOfRemovedPhones } from './unregistered-phones.ts';

export interface ImportRow {
  /** 1-based line of the file the row starts on (the header is line 1). */
  line: number;
  record: ImportRecord;
  /** A problem the reader already found (e.g. a wrong number of fields); the row is rejected with it. */
  problem?: string;
}

export interface ImportReject {
  line: number;
  reason: string;
  record: ImportRecord;
}

export interface ImportProgress {
  read: number;
  imported: number;
  rejected: number;
}

export interface ImportResult extends ImportProgress {
  rejects: ImportReject[];
}

export interface AccountImportResult extends ImportResult {
  /** Phones that imported accounts no longer list, so no longer registered on them. */
  phonesUnregistered: number;
  /** Subscriptions those phones had made themselves on those accounts, ended (reason unregistered-phone). */
  subscriptionsEnded: number;
  /** Those that kept changing while being ended: `ops migrate subscriptions` ends them. */
  busySubscriptions: string[];
}

export interface ImportOptions {
  /** Rows written to the store in one call (default 100). */
  batchSize?: number;
  /** Batches being written at the same time (default 4). */
  concurrency?: number;
  /** Called after every batch is written. */
  onProgress?: (progress: ImportProgress) => void;
}

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_CONCURRENCY = 4;

/** Rows in batches, each row either mapped to an item under a key or rejected. */
export async function runImport<T>(
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions,
  map: (row: ImportRow) => { ok: true; item: T } | { ok: false; reason: string },
  keyOf: (record: ImportRecord) => string | undefined,
  describeKey: string,
  store: (batch: Array<{ row: ImportRow; item: T }>) => Promise<{ stored: number; rejects: ImportReject[] }>,
): Promise<ImportResult> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const result: ImportResult = { read: 0, imported: 0, rejected: 0, rejects: [] };
  const firstLineOf = new Map<string, number>();
  let batch: Array<{ row: ImportRow; item: T }> = [];
  let pending = 0;

  const reject = (reject: ImportReject) => {
    result.rejects.push(reject);
    result.rejected += 1;
  };
  const report = () =>
    options.onProgress?.({ read: result.read, imported: result.imported, rejected: result.rejected });
  // Batches hold distinct keys (duplicates are rejected above), so several may be written at once.
  const inFlight: Array<Promise<void>> = [];
  const flush = async () => {
    const current = batch;
    batch = [];
    pending = 0;
    const task = (current.length > 0 ? store(current) : Promise.resolve({ stored: 0, rejects: [] })).then(
      ({ stored, rejects }) => {
        result.imported += stored;
        for (const r of rejects) reject(r);
        report();
      },
    );
    // Marks the task handled until it is awaited, so a failure waits its turn instead of crashing the process.
    task.catch(() => undefined);
    inFlight.push(task);
    if (inFlight.length >= concurrency) await inFlight.shift();
  };

  for await (const row of rows) {
    result.read += 1;
    pending += 1;
    // A later row with the same key is rejected whatever became of the earlier one: the file is ambiguous.
    const key = keyOf(row.record);
    const first = key === undefined ? undefined : firstLineOf.get(key);
    if (row.problem !== undefined) {
      reject({ line: row.line, reason: row.problem, record: row.record });
    } else if (first !== undefined) {
      reject({
        line: row.line,
        reason: `duplicate of line ${first} (same ${describeKey})`,
        record: row.record,
      });
    } else {
      const mapped = map(row);
      if (mapped.ok) batch.push({ row, item: mapped.item });
      else reject({ line: row.line, reason: mapped.reason, record: row.record });
    }
    if (key !== undefined && first === undefined) firstLineOf.set(key, row.line);
    if (pending >= batchSize) await flush();
  }
  if (pending > 0 || result.read === 0) await flush();
  const failed = (await Promise.allSettled(inFlight)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  result.rejects.sort((a, b) => a.line - b.line);
  return result;
}

/**
 * Creates or replaces the accounts of the good rows; reports every other row with its line and reason. A phone an
 * account no longer lists is unregistered from it, and the subscriptions it made there itself end: the account
 * may have a new holder, whose bill must not reach the previous occupant's phone. Those the holder added stay.
 */
export async function importAccounts(
  deps: Pick<Deps, 'config' | 'accounts' | 'subscriptions' | 'clock'>,
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions = {},
): Promise<AccountImportResult> {
  const unregistered = { phonesUnregistered: 0, subscriptionsEnded: 0, busySubscriptions: [] as string[] };
  const result = await runImport(
    rows,
    options,
    (row) => {
      const mapped = accountFromRow(row.record, deps.config);
      return mapped.ok ? { ok: true, item: mapped.account } : mapped;
    },
    (record) => field(record, 'account_number') || undefined,
    'account_number',
    async (batch) => {
      const removed = await deps.accounts.putMany(batch.map(({ item }) => item));
      const { ended, busyIds } = await endSubscriptionsOfRemovedPhones(deps, removed);
      unregistered.phonesUnregistered += removed.length;
      unregistered.subscriptionsEnded += ended;
      unregistered.busySubscriptions.push(...busyIds);
      return { stored: batch.length, rejects: [] };
    },
  );
  return { ...result, ...unregistered };
}

/** Creates or replaces the bills of the good rows whose account exists; reports every other row. */
export async function importBills(
  deps: { config: UtilityConfig; accounts: AccountStore; bills: BillStore },
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return runImport(
    rows,
    options,
    (row) => {
      const mapped = billFromRow(row.record, deps.config);
      // Marked as made outside: by the utility's own billing system, whether through the CLI or a bill drop.
      return mapped.ok ? { ok: true, item: { ...mapped.bill, source: 'import' as const } } : mapped;
    },
    (record) => {
      const accountNumber = field(record, 'account_number');
      const period = field(record, 'period');
      return accountNumber && period ? `${accountNumber}|${period}` : undefined;
    },
    'account_number and period',
    async (batch) => {
      const existing = await deps.accounts.existing(batch.map(({ item }) => item.accountNumber));
      const meterProblems = await missingMeters(
        deps.accounts,
        batch.map(({ item }) => item).filter((bill) => existing.has(bill.accountNumber)),
      );
      const reasonOf = (bill: Bill) =>
        existing.has(bill.accountNumber)
          ? meterProblems.get(bill)
          : `account_number: account ${bill.accountNumber} does not exist`;
      const good = batch.filter(({ item }) => reasonOf(item) === undefined);
      const rejects = batch.flatMap(({ row, item }) => {
        const reason = reasonOf(item);
        return reason === undefined ? [] : [{ line: row.line, reason, record: row.record }];
      });
      if (good.length > 0) await deps.bills.putMany(good.map(({ item }) => item));
      return { stored: good.length, rejects };
    },
  );
}

export interface PaymentImportResult extends ImportResult {
  /** Rows whose payment was recorded under its reference before (an earlier import of the same file): unchanged. */
  alreadyRecorded: number;
}

/** The column a payment's problem is about, so its reject reads like the other imports' ("column: reason"). */
const PAYMENT_PROBLEM_COLUMN: Record<PaymentProblem['code'], string> = {
  'unknown-account': 'account_number',
  'district-forbidden': 'account_number',
  'unknown-bill': 'period',
  'period-in-future': 'period',
  'paid-in-future': 'paid_at',
  overpayment: 'amount',
  'reference-reused': 'reference',
  'bill-busy': 'period',
};

/**
 * Records the payments of the good rows, each once per reference (a file imported again records nothing twice);
 * reports every other row: a bad cell, a reference twice in the file, an unknown account or bill, a period not yet
 * begun, more than is owed, a reference already recorded for another payment. A rejected row writes nothing.
 */
export async function importPayments(
  deps: Pick<Deps, 'config' | 'clock' | 'accounts' | 'payments'>,
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions = {},
): Promise<PaymentImportResult> {
  let alreadyRecorded = 0;
  const result = await runImport(
    rows,
    options,
    (row) => {
      const mapped = paymentFromRow(row.record, deps.config);
      return mapped.ok ? { ok: true, item: mapped.payment } : mapped;
    },
    (record) => field(record, 'reference') || undefined,
    'reference',
    async (batch) => {
      let stored = 0;
      const rejects: ImportReject[] = [];
      // One by one: payments of one bill in one batch take turns on its version anyway.
      for (const { row, item } of batch) {
        const outcome = await recordPayment(deps, item);
        if (outcome.ok && outcome.result === 'recorded') stored += 1;
        else if (outcome.ok) alreadyRecorded += 1;
        else {
          const { code, message } = outcome.problem;
          rejects.push({
            line: row.line,
            reason: `${PAYMENT_PROBLEM_COLUMN[code]}: ${message}`,
            record: row.record,
          });
        }
      }
      return { stored, rejects };
    },
  );
  return { ...result, alreadyRecorded };
}

/** Bills printing readings of a meter their account does not have, each with the reason (one read per such account). */
async function missingMeters(accounts: AccountStore, bills: Bill[]): Promise<Map<Bill, string>> {
  const problems = new Map<Bill, string>();
  const withReadings = bills.filter((bill) => (bill.meterReadings?.length ?? 0) > 0);
  const numbers = [...new Set(withReadings.map((bill) => bill.accountNumber))];
  const found = await Promise.all(numbers.map((n) => accounts.get(n)));
  const metersOf = new Map(numbers.map((n, i) => [n, found[i]?.meters.map((m) => m.id) ?? []]));
  for (const bill of withReadings) {
    const meterId = bill.meterReadings?.[0]?.meterId ?? '';
    const meters = metersOf.get(bill.accountNumber) ?? [];
    if (!meters.includes(meterId)) {
      problems.set(
        bill,
        `meter: account ${bill.accountNumber} has no meter ${meterId} (${meters.join(', ')})`,
      );
    }
  }
  return problems;
}
