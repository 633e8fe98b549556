// Use case: the day's due-reminder run, for the period whose bills fall due a few days on (business days counted).
import { localDate } from '#domain/calendar';
import { reminderPeriodOn } from '#domain/due-reminder';
import { dueDateOf } from '#domain/tariff-due';
import { startCycleNoticeRun } from './cycle-notice-runs.ts';
import type { StartRunResult } from './notice-runs.ts';
import type { Deps } from './ports.ts';

type RunDeps = Pick<Deps, 'config' | 'clock' | 'notices' | 'noticeQueues' | 'metrics'>;

/**
 * The due-reminder run of a day (its schedule fires daily): for the period whose bills fall due
 * `billing.reminderDaysBefore` days after the local day of `at`; none on a day no bill falls due that many days on.
 * The due date is the one bills carry (moved to a business day where the utility says so): the holiday calendar
 * this needs is why this is a module of its own, kept out of the other runs' functions.
 */
export async function startDueReminders(
  deps: RunDeps,
  at: Date,
): Promise<StartRunResult | { started: false; reason: string }> {
  const today = localDate(at, deps.config.timeZone);
  const { billing } = deps.config;
  const period = reminderPeriodOn(today, billing, (p) => dueDateOf(deps.config, p));
  if (!period) {
    return { started: false, reason: `no bill falls due ${billing.reminderDaysBefore} days after ${today}` };
  }
  return startCycleNoticeRun(deps, { kind: 'due-reminder', ref: period, scheduledAt: at });
}
