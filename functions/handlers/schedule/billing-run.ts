// billing-run: the night after the reading window closes, bills the next period (billing.engine internal), or
// exports the window's accepted readings for the utility's own billing system (external).
import { startBillingRun } from '#app/billing-run-start';
import { exportReadings } from '#app/readings-export';
import { localDate } from '#domain/calendar';
import { billingPeriodOfWindow, periodOfDate } from '#domain/period';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

// The window is the month of the due time, not of the run: a late or repeated firing is the same run (or export).
export const run: ScheduleRun = async (deps, { scheduledAt }) => {
  const window = periodOfDate(localDate(scheduledAt, deps.config.timeZone));
  if (deps.config.billing.engine === 'external') {
    const { csv, rows } = await exportReadings(deps, { period: window });
    const { location } = await deps.readingExports.put(window, csv);
    return { exported: window, rows, location };
  }
  const { runId, started } = await startBillingRun(deps, {
    period: billingPeriodOfWindow(window),
    scheduledAt,
  });
  return { runId, started };
};

export const handler = lambdaScheduleHandler('billing-run', run, lambdaDeps);
