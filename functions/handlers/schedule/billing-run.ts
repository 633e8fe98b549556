// billing-run: after the reading window closes, starts the run that bills the next period.
import { startBillingRun } from '#app/billing-run';
import { localDate } from '#domain/calendar';
import { billingPeriodOfWindow, periodOfDate } from '#domain/period';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

// The period follows the month of the due time, not of the run: a late or repeated firing is the same run.
export const run: ScheduleRun = async (deps, { scheduledAt }) => {
  const window = periodOfDate(localDate(scheduledAt, deps.config.timeZone));
  const { runId, started } = await startBillingRun(deps, {
    period: billingPeriodOfWindow(window),
    scheduledAt,
  });
  return { runId, started };
};

export const handler = lambdaScheduleHandler('billing-run', run, lambdaDeps);
