// Use case: bill one page of the account index, the billing queue's consumer's work.
import { createHash } from 'node:crypto';
import type { BillingPage } from '#contracts/billing-page';
import type { Account } from '#domain/account';
import type { Bill, UsageMethod } from '#domain/bill';
import { composeBill, historyPeriods, type WindowReading, windowOfBill } from '#domain/billing';
import {
  type BillingCounts,
  type BillingFailure,
  type BillingOutcome,
  countOutcomes,
  partOf,
} from '#domain/billing-run';
import { localDate } from '#domain/calendar';
import { isBillingPeriod } from '#domain/period';
import { queueAccountNotice } from './account-notices.ts';
import { startNoticeRun } from './notice-runs.ts';
import type { Deps } from './ports.ts';

type PageDeps = Pick<
  Deps,
  | 'config'
  | 'clock'
  | 'billing'
  | 'billingQueue'
  | 'readings'
  | 'metrics'
  | 'notices'
  | 'noticeQueues'
  | 'subscriptions'
>;

export type BillingPageOutcome = { counts: BillingCounts; next: boolean } | 'superseded' | 'unknown-run';

/**
 * Bills one page of one part of the account index: every account gets its bill for the period unless it has one
 * (a bill is written only where none exists, so a redelivered or restarted page bills nobody twice). Queues the
 * part's next page, then counts the page into the run once; the last page of the last part finishes the run.
 */
export async function billAccountsPage(deps: PageDeps, page: BillingPage): Promise<BillingPageOutcome> {
  const { config } = deps;
  const run = await deps.billing.getRun(page.period);
  if (!run) return 'unknown-run';
  if (run.starts !== page.start) return 'superseded';
  const { cycle, shard } = partOf(page.part, run.shards);
  const accounts = await deps.billing.accountsPage(cycle, shard, {
    limit: config.billing.run.pageSize,
    cursor: page.cursor,
  });
  const now = deps.clock.now();
  const billDate = localDate(now, config.timeZone);
  const due = accounts.items.filter((a) =>
    isBillingPeriod(page.period, config.billing.intervalMonths, a.billingCycle ?? 0),
  );
  const numbers = due.map((a) => a.accountNumber);
  const [readings, histories] = await Promise.all([
    windowReadings(deps, due, windowOfBill(page.period)),
    deps.billing.billsOf(numbers, historyPeriods(config, page.period)),
  ]);
  const outcomes: BillingOutcome[] = [];
  const failures: BillingFailure[] = [];
  const composed: Array<{ bill: Bill; method: UsageMethod }> = [];
  for (const account of due) {
    const result = composeBill(config, {
      account,
      period: page.period,
      billDate,
      history: histories.get(account.accountNumber) ?? [],
      readings: readings.get(account.accountNumber) ?? new Map(),
      runStart: page.start,
    });
    if (result.ok) composed.push({ bill: result.bill, method: result.method });
    else {
      outcomes.push({ outcome: 'failed', reason: result.reason, detail: result.detail });
      failures.push({
        accountNumber: account.accountNumber,
        reason: result.reason,
        detail: result.detail,
        at: now.toISOString(),
      });
    }
  }
  const written = await deps.billing.createBills(composed.map((c) => c.bill));
  written.forEach((write, i) => {
    const { bill: made, method } = composed[i] as { bill: Bill; method: UsageMethod };
    const bill = write.created ? made : write.existing;
    // A bill this start made before (the page was delivered again) is still this start's: counted as created.
    const ours = write.created || (bill.source === 'billing-run' && bill.runStart === page.start);
    outcomes.push(
      ours
        ? {
            outcome: 'created',
            method: bill.usage.method ?? method,
            leak: bill.flags?.includes('leak-suspected') ?? false,
            amountDue: bill.amountDue,
          }
        : { outcome: 'skipped' },
    );
  });
  if (failures.length > 0) await deps.billing.recordFailures(page.period, failures);
  if (accounts.cursor) await deps.billingQueue.enqueue({ ...page, cursor: accounts.cursor });
  const counts = countOutcomes(outcomes);
  const { counted, finished } = await deps.billing.recordPage(page.period, {
    start: page.start,
    part: page.part,
    // A page is counted once per start: a restart reads every page again and counts what it finds then.
    pageKey: createHash('sha256')
      .update(`${page.start}\n${page.cursor ?? ''}`)
      .digest('base64url')
      .slice(0, 22),
    counts,
    last: !accounts.cursor,
    now: now.toISOString(),
  });
  if (counted) {
    for (const outcome of outcomes) {
      if (outcome.outcome === 'created') deps.metrics.count('BillCreated', { method: outcome.method });
      if (outcome.outcome === 'failed') deps.metrics.count('BillingFailed', { reason: outcome.reason });
    }
  }
  // A bill far above the account's average: its subscribers are told how to check for a leak, once each.
  // Queued again when the page is read again: the notice's id makes it one per phone however often.
  for (const [i, write] of written.entries()) {
    const bill = write.created ? composed[i]?.bill : write.existing;
    const ours = write.created || (bill?.source === 'billing-run' && bill.runStart === page.start);
    if (ours && bill?.flags?.includes('leak-suspected')) {
      await queueAccountNotice(deps, {
        kind: 'leak-check',
        ref: bill.period,
        accountNumber: bill.accountNumber,
      });
    }
  }
  if (finished) await onRunFinished(deps, page.period);
  return { counts, next: accounts.cursor !== undefined };
}

/** Each account's meters' counting readings of the window (their window guards, read by key), by account and meter. */
async function windowReadings(
  deps: Pick<Deps, 'readings'>,
  accounts: Account[],
  window: string,
): Promise<Map<string, Map<string, WindowReading>>> {
  const found = await deps.readings.countingFor(
    accounts.flatMap((a) =>
      a.meters.map((m) => ({ accountNumber: a.accountNumber, meterId: m.id, period: window })),
    ),
  );
  const byAccount = new Map<string, Map<string, WindowReading>>();
  for (const reading of found) {
    const meters = byAccount.get(reading.accountNumber) ?? new Map<string, WindowReading>();
    meters.set(reading.meterId, { values: reading.values, date: reading.readAt, source: reading.source });
    byAccount.set(reading.accountNumber, meters);
  }
  return byAccount;
}

/**
 * The run's bills exist: when the period's notice day has come already (a run fired late, or run again by hand),
 * the bill-notice run is planned again so the new bills are announced; notices already sent are recognised.
 */
async function onRunFinished(deps: PageDeps, period: string): Promise<void> {
  const { config } = deps;
  const today = localDate(deps.clock.now(), config.timeZone);
  const noticeDay = `${period}-${String(config.billing.noticeDay).padStart(2, '0')}`;
  if (today < noticeDay) return;
  await startNoticeRun(deps, { kind: 'bill', period, restart: true });
}
