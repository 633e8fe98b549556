// The bill sweep queue's message contract: one page of one fan-out shard of the bills due on a date to mark overdue.
import { z } from 'zod';

const overduePageSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('overdue-page'),
  /** The local due date whose unpaid bills are now overdue (the day before the sweep's day). */
  dueDate: z.iso.date(),
  shard: z.number().int().min(0),
  /** The unpaid-bills index's page cursor; absent for a shard's first page. */
  cursor: z.string().min(1).max(2048).optional(),
});

export const BILL_SWEEP_PAGE = {
  name: 'bill.sweep-page',
  version: 1,
  schema: overduePageSchema,
} as const;

export interface BillSweepPage {
  dueDate: string;
  shard: number;
  cursor?: string;
}

/** The queue message body for a page to sweep. */
export function billSweepPageBody(page: BillSweepPage): string {
  const message: z.infer<typeof overduePageSchema> = { v: 1, kind: 'overdue-page', ...page };
  return JSON.stringify(message);
}

/** Reads a queue message body back; throws a readable error for anything else. */
export function readBillSweepPage(body: string): BillSweepPage {
  const { dueDate, shard, cursor } = BILL_SWEEP_PAGE.schema.parse(JSON.parse(body));
  return cursor === undefined ? { dueDate, shard } : { dueDate, shard, cursor };
}
