// Schedules as EventBridge Scheduler runs them: cron fields in a time zone, their expression, and their firings.
import { Cron } from 'croner';
import { DateTime } from 'luxon';

/**
 * The fields of an EventBridge Scheduler cron expression, as CDK's `ScheduleExpression.cron` takes them: minute,
 * hour, day of month, month and day of week (1-7 = SUN-SAT, or SUN..SAT), in the schedule's time zone. An absent
 * field is every value ("*", or "?" for the day field left open). Day and weekDay cannot both be given.
 */
export interface CronFields {
  minute: string;
  hour: string;
  day?: string;
  month?: string;
  weekDay?: string;
}

/** The expression EventBridge Scheduler is given (and CDK renders): `cron(0 10 12 * ? *)`. */
export function cronExpression(fields: CronFields): string {
  const { day, weekDay } = checked(fields);
  return `cron(${fields.minute} ${fields.hour} ${day} ${fields.month ?? '*'} ${weekDay} *)`;
}

function checked(fields: CronFields): { day: string; weekDay: string } {
  if (fields.day !== undefined && fields.weekDay !== undefined) {
    throw new RangeError('A schedule gives the day of the month or the day of the week, not both');
  }
  return {
    day: fields.day ?? (fields.weekDay !== undefined ? '?' : '*'),
    weekDay: fields.weekDay ?? '?',
  };
}

/** "10:00" -> the minute and hour fields of a schedule that fires at that local time. */
export function atLocalTime(time: string): Pick<CronFields, 'minute' | 'hour'> {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`"${time}" is not a local time as HH:mm`);
  return { hour: String(Number(match[1])), minute: String(Number(match[2])) };
}

/**
 * croner reads the same fields as EventBridge once day-of-week counts 1-7 from Sunday (`alternativeWeekdays`);
 * "?" is a wildcard in both. With day or weekDay left open ("?"), OR and AND of the two fields mean the same.
 */
function compile(fields: CronFields, timeZone: string): Cron {
  const { day, weekDay } = checked(fields);
  return new Cron(`${fields.minute} ${fields.hour} ${day} ${fields.month ?? '*'} ${weekDay}`, {
    timezone: timeZone,
    mode: '5-part',
    alternativeWeekdays: true,
    paused: true,
  });
}

/** Local wall-clock minute of an instant, to tell a skipped or repeated local time. */
function wallMinute(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Daylight-saving shifts in use are 30 minutes (Lord Howe) or an hour; 2 hours covers the historic ones. */
const SHIFTS_MS = [30, 60, 120].map((minutes) => minutes * 60_000);

/**
 * EventBridge Scheduler's documented behaviour across daylight saving: a local time that does not exist (the
 * spring-forward gap) is skipped, and a local time that occurs twice (fall back) fires once. croner instead runs a
 * fixed-time job at the end of the gap, and an interval job twice in the repeated hour; we drop those firings, so
 * the local runtime fires exactly when AWS would.
 */
function firesInAws(cron: Cron, candidate: Date, timeZone: string): boolean {
  if (!cron.match(candidate)) return false;
  const wall = wallMinute(candidate, timeZone);
  return !SHIFTS_MS.some((shift) => wallMinute(new Date(candidate.getTime() - shift), timeZone) === wall);
}

/** Candidates croner may offer that AWS would not fire before we give up (only gaps and repeats are skipped). */
const MAX_SKIPPED = 16;

/** The first firing strictly after `after`, or undefined if the fields never match again (e.g. day 31 in February). */
export function nextFiring(fields: CronFields, timeZone: string, after: Date): Date | undefined {
  const cron = compile(fields, timeZone);
  let from = after;
  for (let i = 0; i <= MAX_SKIPPED; i++) {
    const candidate = cron.nextRun(from);
    if (!candidate) return undefined;
    if (firesInAws(cron, candidate, timeZone)) return candidate;
    from = candidate;
  }
  return undefined;
}

/**
 * The firings in (after, until], oldest first, at most `limit` of them: a firing exactly at `after` has happened
 * already, one exactly at `until` is due.
 */
export function firingsBetween(
  fields: CronFields,
  timeZone: string,
  after: Date,
  until: Date,
  limit: number,
): Date[] {
  const firings: Date[] = [];
  let from = after;
  while (firings.length < limit) {
    const next = nextFiring(fields, timeZone, from);
    if (!next || next.getTime() > until.getTime()) break;
    firings.push(next);
    from = next;
  }
  return firings;
}
