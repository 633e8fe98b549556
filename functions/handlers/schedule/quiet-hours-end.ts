// quiet-hours-end: when the quiet hours end, plans again every notice run they held and queues the SMS they held.
import { resumeHeldRuns } from '#app/notice-runs';
import { releaseHeldMessages } from '#app/outbound';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

export const run: ScheduleRun = async (deps) => ({
  resumed: (await resumeHeldRuns(deps)).map((resumed) => resumed.runId),
  releasedSms: await releaseHeldMessages(deps),
});

export const handler = lambdaScheduleHandler('quiet-hours-end', run, lambdaDeps);
