// overdue-bills: early each local day, starts the sweep that marks the bills due yesterday overdue if unpaid.
import { startOverdueSweep } from '#app/overdue';
import { localDate } from '#domain/calendar';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaScheduleHandler, type ScheduleRun } from './schedule-handler.ts';

// The day is the firing's due time's, not the run's: a late or repeated firing sweeps the same due date.
export const run: ScheduleRun = async (deps, { scheduledAt }) =>
  startOverdueSweep(deps, { today: localDate(scheduledAt, deps.config.timeZone) });

export const handler = lambdaScheduleHandler('overdue-bills', run, lambdaDeps);
