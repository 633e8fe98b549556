// Use cases: the day after a due date, mark its unpaid bills overdue, one page of one fan-out shard at a time.
import { DateTime } from 'luxon';
import type { BillSweepPage } from '#contracts/bill-sweep';
import type { Deps } from './ports.ts';

/** Unpaid bills read (and marked) per sweep message. */
export const OVERDUE_PAGE_SIZE = 100;

export interface OverduePageResult {
  /** Bills this page marked overdue. */
  marked: number;
  /** Bills of the page that were not unpaid any more (overdue already, or paid meanwhile). */
  skipped: number;
  /** Whether the shard's next page was queued. */
  next: boolean;
}

/**
 * Marks one page of the unpaid bills due on `dueDate` in one shard overdue (each only if still unpaid, so a bill
 * paid meanwhile stays paid), and queues the shard's next page. A redelivered page marks nothing twice.
 */
export async function markOverdue(
  deps: Pick<Deps, 'payments' | 'billSweepQueue'>,
  page: BillSweepPage,
): Promise<OverduePageResult> {
  const bills = await deps.payments.unpaidDue(page.dueDate, page.shard, {
    limit: OVERDUE_PAGE_SIZE,
    cursor: page.cursor,
  });
  let marked = 0;
  for (const bill of bills.items) {
    if (bill.status === 'unpaid' && (await deps.payments.markOverdue(bill.accountNumber, bill.period))) {
      marked += 1;
    }
  }
  if (bills.cursor) await deps.billSweepQueue.enqueue({ ...page, cursor: bills.cursor });
  return { marked, skipped: bills.items.length - marked, next: bills.cursor !== undefined };
}

/**
 * Starts the overdue sweep of `today` (a local date): the bills due yesterday are overdue from today. Queues every
 * fan-out shard's first page; firing it twice on one day marks nothing twice.
 */
export async function startOverdueSweep(
  deps: Pick<Deps, 'config' | 'billSweepQueue'>,
  request: { today: string },
): Promise<{ dueDate: string; shards: number }> {
  const dueDate = DateTime.fromISO(request.today, { zone: 'UTC' }).minus({ days: 1 }).toISODate() as string;
  const shards = deps.config.subscriptions.fanOutShards;
  for (let shard = 0; shard < shards; shard++) await deps.billSweepQueue.enqueue({ dueDate, shard });
  return { dueDate, shards };
}
