// The billing queue's message contract: one page of one part of the account index, for one start of a billing run.
import { z } from 'zod';
import { PERIOD_PATTERN } from '#domain/period';

const billingPageSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('billing-page'),
  period: z.string().regex(PERIOD_PATTERN),
  /** Which start of the run queued it: a page of an older start is not read again. */
  start: z.number().int().min(1),
  /** The index part (billing cycle x shards + shard). */
  part: z.number().int().min(0),
  /** The account index's page cursor; absent for a part's first page. */
  cursor: z.string().min(1).max(2048).optional(),
});

export const BILLING_PAGE = { name: 'billing.page', version: 1, schema: billingPageSchema } as const;

export interface BillingPage {
  period: string;
  start: number;
  part: number;
  cursor?: string;
}

export function billingPageBody(page: BillingPage): string {
  const message: z.infer<typeof billingPageSchema> = { v: 1, kind: 'billing-page', ...page };
  return JSON.stringify(message);
}

/** Reads a queue message body back; throws a readable error for anything else. */
export function readBillingPage(body: string): BillingPage {
  const { period, start, part, cursor } = BILLING_PAGE.schema.parse(JSON.parse(body));
  return { period, start, part, cursor };
}
