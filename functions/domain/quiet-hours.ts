// Quiet hours: the local hours in which nothing but codes and replies is delivered (Korean A2P custom: 21:00-08:00).
import { DateTime } from 'luxon';

export interface QuietHours {
  /** "HH:MM", local: quiet from this minute on. */
  start: string;
  /** "HH:MM", local: deliveries resume at this minute. */
  end: string;
}

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the instant falls in the quiet hours, in the utility's time zone: [start, end), across midnight or not. */
export function isQuiet(instant: Date, timeZone: string, quiet: QuietHours): boolean {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const start = minuteOfDay(quiet.start);
  const end = minuteOfDay(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The first instant at or after `instant` outside the quiet hours: the instant itself when it is not quiet. */
export function quietEnd(instant: Date, timeZone: string, quiet: QuietHours): Date {
  if (!isQuiet(instant, timeZone, quiet)) return instant;
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const end = minuteOfDay(quiet.end);
  let resume = local.startOf('day').set({ hour: Math.floor(end / 60), minute: end % 60 });
  if (resume <= local) resume = resume.plus({ days: 1 });
  return resume.toJSDate();
}
