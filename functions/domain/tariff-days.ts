// Days of a usage period: how many, and which part of it each dated step (a rate, a reduction rule) is in force for.
// Plain arithmetic on day numbers rather than luxon: a demo year or a billing run prices thousands of these.
import { fromDate } from '#config/tariffs';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date YYYY-MM-DD (NaN if it is none). */
export function epochDay(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-02-30 over into March: such a date is none.
  return new Date(time).getUTCDate() === day ? time / DAY_MS : Number.NaN;
}

/** Days from `from` to `to`, both counted (2026-07-01..2026-07-31 is 31). */
export function daysInclusive(from: string, to: string): number {
  return epochDay(to) - epochDay(from) + 1;
}

/** The local date `days` days after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  return new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export interface StepSpan {
  /** Index of the step in its list. */
  index: number;
  days: number;
}

const stepDays = new WeakMap<ReadonlyArray<{ from: string }>, number[]>();

/** The day numbers the steps take effect on, worked out once per configured list. */
function startsOf(steps: ReadonlyArray<{ from: string }>): number[] {
  let starts = stepDays.get(steps);
  if (!starts) {
    starts = steps.map((step) => epochDay(fromDate(step.from)));
    stepDays.set(steps, starts);
  }
  return starts;
}

/**
 * The days of the usage period [from, to] each step is in force for (a step holds from its `from` until the day
 * before the next one's), and the days before the first step, when none is.
 */
export function stepSpans(
  steps: ReadonlyArray<{ from: string }>,
  usage: { from: string; to: string },
): { spans: StepSpan[]; daysBeforeFirst: number } {
  const [first, last] = [epochDay(usage.from), epochDay(usage.to)];
  const starts = startsOf(steps);
  const spans: StepSpan[] = [];
  starts.forEach((start, index) => {
    const next = starts[index + 1];
    const days = Math.min(last, next === undefined ? last : next - 1) - Math.max(first, start) + 1;
    if (days > 0) spans.push({ index, days });
  });
  const covered = spans.reduce((sum, span) => sum + span.days, 0);
  return { spans, daysBeforeFirst: last - first + 1 - covered };
}
