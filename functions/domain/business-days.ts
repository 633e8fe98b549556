// Business days in a utility's country: not a Saturday or Sunday, not a public holiday (date-holidays, corrected).
import Holidays from 'date-holidays';
import type { UtilityConfig } from '#config/schema';
import { addDays, epochDay } from './tariff-days.ts';

type HolidayConfig = UtilityConfig['billing']['due']['holidays'];

const publicHolidays = new Map<string, Set<string>>();

/**
 * The local dates of a country's public holidays in a year. A holiday of several days (Korea's Seollal and Chuseok)
 * comes as one entry with a start and an end, so every day of it is listed.
 */
function holidaysOf(country: string, year: number): Set<string> {
  const key = `${country}/${year}`;
  let dates = publicHolidays.get(key);
  if (!dates) {
    dates = new Set();
    const calendar = new Holidays(country);
    if (!calendar.getCountries()[country])
      throw new RangeError(`date-holidays does not know the country "${country}"`);
    for (const holiday of calendar.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
      for (let d = 0; d < days; d++) dates.add(addDays(holiday.date.slice(0, 10), d));
    }
    publicHolidays.set(key, dates);
  }
  return dates;
}

function isBusinessDay(date: string, country: string, holidays: HolidayConfig): boolean {
  // 1970-01-01 was a Thursday: 0 is Sunday, 6 Saturday.
  const weekday = (epochDay(date) + 4) % 7;
  if (weekday === 0 || weekday === 6) return false;
  if (holidays.add.includes(date)) return false;
  if (holidays.remove.includes(date)) return true;
  return holidays.source === 'none' || !holidaysOf(country, Number(date.slice(0, 4))).has(date);
}

/** The date itself if it is a business day, else the first business day after it. */
export function nextBusinessDay(date: string, country: string, holidays: HolidayConfig): string {
  let day = date;
  // A fortnight of holidays and weekends in a row exists nowhere; the bound only guards a broken configuration.
  for (let i = 0; i < 15 && !isBusinessDay(day, country, holidays); i++) {
    day = addDays(day, 1);
  }
  return day;
}
