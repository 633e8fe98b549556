// due-reminders: daily; on the day a period's bills are reminderDaysBefore days from due, reminds who has not paid.
import { startDueReminders } from '#app/due-reminders';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

export const run: ScheduleRun = (deps, { scheduledAt }) => startDueReminders(deps, scheduledAt);

export const handler = lambdaScheduleHandler('due-reminders', run, lambdaDeps);
