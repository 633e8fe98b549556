// complaints-sla: hourly; flags the complaints past their deadline and tells their offices, then queues any SMS the
// quiet hours held whose time has come (a second chance should the quiet-hours-end firing have failed).
import { flagSlaBreaches } from '#app/complaint-sla';
import { releaseHeldMessages } from '#app/outbound';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

export const run: ScheduleRun = async (deps, { scheduledAt }) => ({
  ...(await flagSlaBreaches(deps, scheduledAt)),
  releasedSms: await releaseHeldMessages(deps),
});

export const handler = lambdaScheduleHandler('complaints-sla', run, lambdaDeps);
