// Use case: what a billing run did: created, skipped, failed (with the accounts and why), leaks and amounts.
import type { BillingCounts, BillingFailure, BillingRun } from '#domain/billing-run';
import { NotFoundError, ValidationError } from '#domain/errors';
import { isPeriod } from '#domain/period';
import type { Deps, Page } from './ports.ts';

export interface BillingRunReport {
  run: string;
  status: BillingRun['status'];
  starts: number;
  createdAt: string;
  scheduledAt?: string;
  finishedAt?: string;
  parts: { total: number; done: number };
  counts: BillingCounts;
  failures: BillingFailure[];
  nextCursor: string | null;
}

export async function billingRunReport(
  deps: Pick<Deps, 'billing'>,
  request: { period: string; limit?: number; cursor?: string },
): Promise<BillingRunReport> {
  if (!isPeriod(request.period)) {
    throw new ValidationError('The period is not YYYY-MM.', [
      { field: 'period', message: 'a month as YYYY-MM' },
    ]);
  }
  const run = await deps.billing.getRun(request.period);
  if (!run)
    throw new NotFoundError('billing-run-not-found', `No billing run of ${request.period} has started.`);
  const [counts, failures]: [BillingCounts, Page<BillingFailure>] = await Promise.all([
    deps.billing.counts(request.period),
    deps.billing.failures(request.period, { limit: request.limit ?? 50, cursor: request.cursor }),
  ]);
  return {
    run: `billing/${run.period}`,
    status: run.status,
    starts: run.starts,
    createdAt: run.createdAt,
    scheduledAt: run.scheduledAt,
    finishedAt: run.finishedAt,
    parts: { total: run.parts.length, done: run.partsDone.length },
    counts,
    failures: failures.items,
    nextCursor: failures.cursor ?? null,
  };
}
