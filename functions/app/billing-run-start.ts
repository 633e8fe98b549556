// Use case: start a period's billing run, which queues the first page of every part of the account index.
import { type BillingRun, runParts } from '#domain/billing-run';
import { localDate } from '#domain/calendar';
import { ConflictError, ValidationError } from '#domain/errors';
import { addMonths, isPeriod, periodOfDate } from '#domain/period';
import type { Deps } from './ports.ts';

type StartDeps = Pick<Deps, 'config' | 'clock' | 'billing' | 'billingQueue' | 'metrics'>;

export interface StartBillingRequest {
  period: string;
  scheduledAt?: Date;
  /** Read every part again: bills already made are recognised and skipped, the rest are made. */
  restart?: boolean;
}

export interface StartBillingResult {
  /** `billing/2026-12`. */
  runId: string;
  started: boolean;
  run: BillingRun;
}

/** Creates (or, asked to, restarts) the run of a period and queues the first page of every index part it reads. */
export async function startBillingRun(
  deps: StartDeps,
  request: StartBillingRequest,
): Promise<StartBillingResult> {
  const { config } = deps;
  if (config.billing.engine === 'external') {
    throw new ConflictError(
      'billing-engine-external',
      "This utility's bills come from its own billing system (billing.engine external): they are imported, not billed here.",
    );
  }
  if (!isPeriod(request.period)) {
    throw new ValidationError('The period is not YYYY-MM.', [
      { field: 'period', message: 'a month as YYYY-MM' },
    ]);
  }
  const today = localDate(deps.clock.now(), config.timeZone);
  // The run after a window bills the next period: a later one has no readings yet.
  const latest = addMonths(periodOfDate(today), 1);
  if (request.period > latest) {
    throw new ValidationError(`The period ${request.period} cannot be billed yet in ${config.timeZone}.`, [
      { field: 'period', message: `at most ${latest}` },
    ]);
  }
  const { shards } = config.billing.run;
  const { run, started } = await deps.billing.startRun(
    {
      period: request.period,
      parts: runParts(request.period, config.billing.intervalMonths, shards),
      shards,
      createdAt: deps.clock.now().toISOString(),
      scheduledAt: request.scheduledAt?.toISOString(),
    },
    request.restart ?? false,
  );
  if (started) {
    deps.metrics.count('BillingRunStarted', {});
    for (const part of run.parts)
      await deps.billingQueue.enqueue({ period: run.period, start: run.starts, part });
  }
  return { runId: `billing/${run.period}`, started, run };
}
