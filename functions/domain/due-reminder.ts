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
export function reminderPeriodOn(
  today: string,
  rule: ReminderRule,
  /** A period's due date; by default the due rule's day, without a move to a business day. */
  dueOf: (period: Period) => string = (period) => dueDateOf(period, rule.due),
): Period | undefined {
  const target = DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: rule.reminderDaysBefore }).toISODate();
  if (!target) throw new RangeError(`"${today}" is not a local date`);
  // A due date moved to the next business day may fall in the next month: the period before is a candidate too.
  const latest = addMonths(periodOfDate(target), -rule.due.monthOffset);
  const period = [latest, addMonths(latest, -1)].find((p) => dueOf(p) === target);
  if (!period) return undefined;
  if (rule.billingMonths && !rule.billingMonths.includes(Number(period.slice(5, 7)))) return undefined;
  return period;
}
