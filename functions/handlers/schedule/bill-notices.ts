// bill-notices: on the notice day, starts the bill-notice run of the month the firing was due in.
import { startNoticeRun } from '#app/notice-runs';
import { localDate } from '#domain/calendar';
import { periodOfDate } from '#domain/period';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

// The period is the month of the due time, not of the run: a late or repeated firing is the same run.
export const run: ScheduleRun = async (deps, { scheduledAt }) => {
  const { runId, started, resumeAt } = await startNoticeRun(deps, {
    kind: 'bill',
    period: periodOfDate(localDate(scheduledAt, deps.config.timeZone)),
    scheduledAt,
  });
  // What the firing's log (and the local clock's answer) shows: which run, and whether this firing started it.
  return { runId, started, resumeAt };
};

export const handler = lambdaScheduleHandler('bill-notices', run, lambdaDeps);
