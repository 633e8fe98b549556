// The billing run: one bill per account per period, made over the account index's shards, and what it counts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isBillingPeriod, PERIOD_PATTERN, type Period } from './period.ts';

/**
 * A run of one billing period. Its parts are the (billing cycle, shard) pairs of the account index it reads: a
 * monthly utility reads both cycles, one billing every two months only the cycle billed in the period.
 */
export const billingRunSchema = z.strictObject({
  period: z.string().regex(PERIOD_PATTERN),
  status: z.enum(['running', 'done']),
  /** How often it was started: a page of an earlier start is not read again. */
  starts: z.number().int().min(1),
  /** The index parts (cycle x shards + shard) this run reads, and those read to their end by the latest start. */
  parts: z.array(z.number().int().min(0)),
  partsDone: z.array(z.number().int().min(0)),
  shards: z.number().int().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
  finishedAt: z.iso.datetime({ offset: true }).optional(),
});
export type BillingRun = z.infer<typeof billingRunSchema>;

/** Billing cycles: 0 (even months) and 1 (odd months) of a utility billing every two months. */
const CYCLES = [0, 1] as const;

/** The index parts a period's run reads: every cycle billed in the period, times the shards. */
export function runParts(period: Period, intervalMonths: number, shards: number): number[] {
  return CYCLES.filter((cycle) => isBillingPeriod(period, intervalMonths, cycle)).flatMap((cycle) =>
    Array.from({ length: shards }, (_, shard) => cycle * shards + shard),
  );
}

export function partOf(part: number, shards: number): { cycle: number; shard: number } {
  return { cycle: Math.floor(part / shards), shard: part % shards };
}

/** The account index shard of an account: a stable hash, so an account stays on its shard. */
export function billingShard(accountNumber: string, shards: number): number {
  return createHash('sha256').update(accountNumber).digest().readUInt32BE(0) % shards;
}

/** What became of one account in a run. */
export type BillingOutcome =
  | { outcome: 'created'; method: string; leak: boolean; amountDue: number }
  | { outcome: 'skipped' }
  | { outcome: 'failed'; reason: BillingFailureReason; detail: string };

/**
 * Why an account got no bill: no-meter (the account lists none); unknown-meter-kind (its meter's kind is not
 * configured); no-tariff (no rate covers the usage period); no-estimate (no reading, too little history for an
 * average and no normative); pricing (the tariff configuration cannot price the usage: detail says why); invalid
 * (the bill would not pass the bill rules).
 */
export const billingFailureReasonSchema = z.enum([
  'no-meter',
  'unknown-meter-kind',
  'no-tariff',
  'no-estimate',
  'pricing',
  'invalid',
]);
export type BillingFailureReason = z.infer<typeof billingFailureReasonSchema>;

export const billingFailureSchema = z.strictObject({
  accountNumber: z.string().min(1),
  reason: billingFailureReasonSchema,
  detail: z.string().max(500),
  at: z.iso.datetime({ offset: true }),
});
export type BillingFailure = z.infer<typeof billingFailureSchema>;

/** A page's outcomes as counted into the run: created, skipped as already billed, failed. */
export interface BillingCounts {
  created: number;
  skipped: number;
  failed: number;
  /** Created bills by how their volume was got (actual, average, normative, reconciled). */
  methods: Record<string, number>;
  leakSuspected: number;
  /** The amounts due of the created bills, in minor units. */
  amountDue: number;
}

export function emptyCounts(): BillingCounts {
  return { created: 0, skipped: 0, failed: 0, methods: {}, leakSuspected: 0, amountDue: 0 };
}

export function countOutcomes(outcomes: BillingOutcome[]): BillingCounts {
  const counts = emptyCounts();
  for (const o of outcomes) {
    if (o.outcome === 'skipped') counts.skipped++;
    else if (o.outcome === 'failed') counts.failed++;
    else {
      counts.created++;
      counts.methods[o.method] = (counts.methods[o.method] ?? 0) + 1;
      if (o.leak) counts.leakSuspected++;
      counts.amountDue += o.amountDue;
    }
  }
  return counts;
}
