// reading-window-opens: on the window's first day, reminds residents who read their own meters to text a reading.
import { startCycleNoticeRun } from '#app/cycle-notice-runs';
import { localDate } from '#domain/calendar';
import { periodOfDate } from '#domain/period';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

// The window's month is that of the due time: a late or repeated firing is the same run.
export const run: ScheduleRun = async (deps, { scheduledAt }) => {
  const { runId, started, resumeAt } = await startCycleNoticeRun(deps, {
    kind: 'reading-window',
    ref: periodOfDate(localDate(scheduledAt, deps.config.timeZone)),
    scheduledAt,
  });
  return { runId, started, resumeAt };
};

export const handler = lambdaScheduleHandler('reading-window-opens', run, lambdaDeps);
