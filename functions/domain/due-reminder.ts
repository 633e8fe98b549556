// Which bills a due-date reminder on a given local day is for: those whose due date is reminderDaysBefore days on.
import { DateTime } from 'luxon';
import { type DueRule, dueDateOf } from './calendar.ts';
import { addMonths, type Period, periodOfDate } from './period.ts';

export interface ReminderRule {
  due: DueRule;
  reminderDaysBefore: number;
  /** The months whose notice day has bills (config billing.billingMonths); absent: every month. */
  billingMonths?: readonly number[];
}

/**
 * The period whose bills fall due `reminderDaysBefore` days after the local date `today`, or none that day. Each
 * period has one due date by the due rule (a day, or the last day, of the period's month plus monthOffset), so at
 * most one period's bills fall due on a given day.
 */
export function reminderPeriodOn(today: string, rule: ReminderRule): Period | undefined {
  const target = DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: rule.reminderDaysBefore }).toISODate();
  if (!target) throw new RangeError(`"${today}" is not a local date`);
  const period = addMonths(periodOfDate(target), -rule.due.monthOffset);
  if (dueDateOf(period, rule.due) !== target) return undefined;
  if (rule.billingMonths && !rule.billingMonths.includes(Number(period.slice(5, 7)))) return undefined;
  return period;
}
