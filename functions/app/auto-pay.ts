// Use cases: record the bank's auto-pay results on their bills (a withdrawal is a payment) and tell the subscribers.
import {
  AutoPayResultError,
  type AutoPayResultInput,
  autoPayChange,
  autoPayResultInputSchema,
} from '#domain/auto-pay';
import type { Bill } from '#domain/bill';
import { AppError, type FieldProblem, ForbiddenError } from '#domain/errors';
import { amountField, field, type ImportRecord, Problems } from '#domain/import-cells';
import type { StaffPrincipal } from '#domain/staff';
import { queueAccountNotice } from './account-notices.ts';
import type { ImportReject, ImportResult, ImportRow } from './import.ts';
import type { Deps } from './ports.ts';

type AutoPayDeps = Pick<
  Deps,
  'config' | 'clock' | 'accounts' | 'bills' | 'notices' | 'noticeQueues' | 'subscriptions'
>;

export interface AutoPayRecorded {
  accountNumber: string;
  period: string;
  /** recorded: the bill changed now; duplicate: this reference was recorded before (its notice is queued again). */
  outcome: 'recorded' | 'duplicate';
  /** The notices queued to the account's subscribers (each is sent once however often it is queued). */
  noticesQueued: number;
}

/** A concurrent payment changed the bill this many times in a row: give up with a 409-like retry. */
const MAX_ATTEMPTS = 5;

/** The account and bill a result is for, or why it cannot be recorded. */
async function checkedBill(
  deps: Pick<Deps, 'accounts' | 'bills'>,
  result: AutoPayResultInput,
): Promise<Bill> {
  const account = await deps.accounts.get(result.accountNumber);
  if (!account) {
    throw new AutoPayResultError('account-not-found', `There is no account ${result.accountNumber}.`);
  }
  if (account.paymentMethod !== 'auto-pay') {
    throw new AutoPayResultError(
      'not-auto-pay',
      `Account ${result.accountNumber} pays by ${account.paymentMethod}, not by auto-pay.`,
    );
  }
  const bill = await deps.bills.get(result.accountNumber, result.period);
  if (!bill) {
    throw new AutoPayResultError(
      'bill-not-found',
      `Account ${result.accountNumber} has no bill for ${result.period}.`,
    );
  }
  return bill;
}

/**
 * Records one result on its bill (once per reference: a conditional write that also checks no payment landed since
 * the bill was read), then queues the auto-pay-result notice to the account's subscribers: withdrawn, or not with
 * the bank's reason and how to pay instead. A result recorded before is not written again, but its notice is queued
 * again, so a retry after a crash between the two still sends it (once).
 */
export async function recordAutoPayResult(
  deps: AutoPayDeps,
  result: AutoPayResultInput,
): Promise<AutoPayRecorded> {
  let bill = await checkedBill(deps, result);
  let outcome: AutoPayRecorded['outcome'] | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !outcome; attempt++) {
    const change = autoPayChange(bill, result);
    if (change === 'duplicate') {
      outcome = 'duplicate';
      break;
    }
    const written = await deps.bills.recordAutoPay(
      result.accountNumber,
      result.period,
      change,
      bill.payments.length,
    );
    if (written === 'missing') throw new Error(`Bill ${result.accountNumber}/${result.period} vanished`);
    if (written !== 'changed') outcome = written;
    else bill = (await deps.bills.get(result.accountNumber, result.period)) ?? bill;
  }
  if (!outcome) throw new Error(`Bill ${result.accountNumber}/${result.period} kept changing`);
  const notice = await queueAccountNotice(deps, {
    kind: 'auto-pay-result',
    ref: result.period,
    accountNumber: result.accountNumber,
  });
  return {
    accountNumber: result.accountNumber,
    period: result.period,
    outcome,
    noticesQueued: notice.queued,
  };
}

/**
 * Records a batch (POST /admin/autopay-results): every result is checked against its account and bill first, and
 * nothing is written when one fails (422 naming each); then each is recorded in the order given.
 */
export async function recordAutoPayResults(
  deps: AutoPayDeps,
  staff: StaffPrincipal,
  results: readonly AutoPayResultInput[],
): Promise<AutoPayRecorded[]> {
  // Payments of every district at once: an admin's task, as an import by the ops CLI is.
  if (!staff.roles.includes('admin')) {
    throw new ForbiddenError('admin-role-required', 'Recording auto-pay results needs the admin role.');
  }
  const problems: FieldProblem[] = [];
  const references = new Map<string, number>();
  for (const [i, result] of results.entries()) {
    const earlier = references.get(result.reference);
    if (earlier !== undefined) {
      problems.push({ field: `body.results.${i}.reference`, message: `the same as results.${earlier}` });
    }
    references.set(result.reference, i);
    try {
      await checkedBill(deps, result);
    } catch (error) {
      if (!(error instanceof AutoPayResultError)) throw error;
      problems.push({ field: `body.results.${i}`, message: error.message });
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'unprocessable',
      'autopay-results-rejected',
      'Some auto-pay results cannot be recorded; none was.',
      { errors: problems },
    );
  }
  const recorded: AutoPayRecorded[] = [];
  for (const result of results) recorded.push(await recordAutoPayResult(deps, result));
  return recorded;
}

/** One CSV row as a result, or what is wrong with it. */
export function autoPayResultFromRow(
  record: ImportRecord,
  currency: string,
): { ok: true; result: AutoPayResultInput } | { ok: false; reason: string } {
  const problems = new Problems();
  const amount = amountField(record, 'amount', currency, problems);
  if (problems.any) return { ok: false, reason: problems.reason };
  const parsed = autoPayResultInputSchema.safeParse({
    accountNumber: field(record, 'account_number'),
    period: field(record, 'period'),
    status: field(record, 'status'),
    reason: field(record, 'reason') || undefined,
    amount: amount === 0 ? undefined : amount,
    at: field(record, 'at'),
    reference: field(record, 'reference'),
  });
  if (!parsed.success) {
    const columns: Record<string, string> = { accountNumber: 'account_number' };
    return {
      ok: false,
      reason: parsed.error.issues
        .map((issue) => `${columns[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`)
        .join('; '),
    };
  }
  return { ok: true, result: parsed.data };
}

/**
 * `ops import autopay`: the bank's result file, row by row (each result is its own conditional write and its own
 * notices); a bad row, or one for an unknown account or bill, is rejected with its line and reason.
 */
export async function importAutoPayResults(
  deps: AutoPayDeps,
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: { onProgress?: (progress: ImportResult) => void } = {},
): Promise<ImportResult & { duplicates: number }> {
  const result = { read: 0, imported: 0, rejected: 0, rejects: [] as ImportReject[], duplicates: 0 };
  for await (const row of rows) {
    result.read += 1;
    const reject = (reason: string) => {
      result.rejected += 1;
      result.rejects.push({ line: row.line, reason, record: row.record });
    };
    const read = row.problem
      ? { ok: false as const, reason: row.problem }
      : autoPayResultFromRow(row.record, deps.config.currency);
    if (!read.ok) {
      reject(read.reason);
    } else {
      try {
        const recorded = await recordAutoPayResult(deps, read.result);
        result.imported += 1;
        if (recorded.outcome === 'duplicate') result.duplicates += 1;
      } catch (error) {
        if (!(error instanceof AutoPayResultError)) throw error;
        reject(error.message);
      }
    }
    options.onProgress?.(result);
  }
  return result;
}
