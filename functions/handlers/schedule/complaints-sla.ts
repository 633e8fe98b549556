// complaints-sla: hourly; flags the complaints past their deadline and tells their offices, then queues any SMS the
// quiet hours held whose time has come (a second chance should the quiet-hours-end firing have failed).
import { flagSlaBreaches } from '#app/complaint-sla';
import { releaseHeldMessages } from '#app/outbound';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

export const run: ScheduleRun = async (deps, { scheduledAt }) => {
  const flagged = await flagSlaBreaches(deps, scheduledAt);
  const releasedSms = await releaseHeldMessages(deps);
  // Failing the firing after the rest is done: it is retried (flagging is idempotent), then dead-lettered, which
  // alarms the operators about the complaints that could not be flagged.
  if (flagged.failed) {
    throw new Error(`complaints-sla could not flag ${JSON.stringify(flagged.failed)}`);
  }
  return { ...flagged, releasedSms };
};

export const handler = lambdaScheduleHandler('complaints-sla', run, lambdaDeps);
