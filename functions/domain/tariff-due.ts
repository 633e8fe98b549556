// When a bill is due (the configured day, moved to a business day where the utility says so) and its late fee.
import { DateTime } from 'luxon';
import type { UtilityConfig } from '#config/schema';
import { nextBusinessDay } from './business-days.ts';
import { dueDateOf as calendarDueDate } from './calendar.ts';
import { fraction, min, mul } from './fraction.ts';
import type { Period } from './period.ts';
import { daysInclusive } from './tariff-days.ts';
import { rounded } from './tariff-lines.ts';

const dueDates = new WeakMap<UtilityConfig, Map<Period, string>>();

/** The due date (local YYYY-MM-DD) of the bill for a period, on a business day when `nextBusinessDay` is set. */
export function dueDateOf(config: UtilityConfig, period: Period): string {
  // Every bill of a period has the same due date: a billing run asks once per account.
  let known = dueDates.get(config);
  if (!known) {
    known = new Map();
    dueDates.set(config, known);
  }
  let date = known.get(period);
  if (date === undefined) {
    const { due } = config.billing;
    date = calendarDueDate(period, due);
    if (due.nextBusinessDay) date = nextBusinessDay(date, config.country, due.holidays);
    known.set(period, date);
  }
  return date;
}

/**
 * The late fee on an amount overdue since `dueDate`, as of the local date `asOf`: lateFeePercent of it, or with
 * "daily-first-month" that share of it for each day of the month after the due date, capped at lateFeePercent.
 */
export function lateFeeOf(
  config: UtilityConfig,
  { overdueAmount, dueDate, asOf }: { overdueAmount: number; dueDate: string; asOf: string },
): number {
  if (asOf <= dueDate || overdueAmount <= 0) return 0;
  const { lateFeePercent, lateFeeProration } = config.billing;
  let share = fraction(lateFeePercent, 100);
  if (lateFeeProration === 'daily-first-month') {
    const daysLate = daysInclusive(dueDate, asOf) - 1;
    const monthAfter = DateTime.fromISO(dueDate, { zone: 'UTC' }).plus({ months: 1 }).toISODate() as string;
    const monthDays = daysInclusive(dueDate, monthAfter) - 1;
    share = mul(share, min(fraction(daysLate, monthDays), fraction(1)));
  }
  return rounded({ config }, mul(fraction(overdueAmount), share));
}
