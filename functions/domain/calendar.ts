// Calendar rules in the utility's time zone: local dates, due dates, and reading "--now" values.
import { DateTime } from 'luxon';
import { addMonths, type Period } from './period.ts';

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() as string;
}

/** The local date and time (YYYY-MM-DDTHH:mm:ss) of an instant, for people to read. */
export function localDateTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/**
 * Reads an instant: an ISO 8601 instant with an offset or Z is taken as is; a date-time with no
 * offset (2026-12-16T10:00) is local time of the given zone. Returns undefined if unreadable.
 */
export function parseInstant(text: string, timeZone: string): Date | undefined {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim());
  const parsed = hasOffset
    ? DateTime.fromISO(text.trim(), { setZone: true })
    : DateTime.fromISO(text.trim(), { zone: timeZone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

export type DueRule = { monthOffset: number; day: number | 'end-of-month' };

/** The due date (local YYYY-MM-DD) of the bill for a billing period. */
export function dueDateOf(period: Period, rule: DueRule): string {
  const month = DateTime.fromISO(`${addMonths(period, rule.monthOffset)}-01`, { zone: 'UTC' });
  const day = rule.day === 'end-of-month' ? month.endOf('month') : month.set({ day: rule.day });
  return day.toISODate() as string;
}

/** The utility's local day an instant falls on (YYYY-MM-DD) and the instant it ends (local midnight, epoch ms). */
export function localDay(instant: Date, timeZone: string): { date: string; endsAt: number } {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  return { date: local.toISODate() as string, endsAt: local.startOf('day').plus({ days: 1 }).toMillis() };
}
