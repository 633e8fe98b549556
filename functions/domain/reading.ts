// Meter readings: the submission window, and whether a reading can be accepted against the previous one.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Bill } from './bill.ts';
import { PERIOD_PATTERN, type Period } from './period.ts';

export const readingStatusSchema = z.enum(['accepted', 'flagged', 'superseded']);
export const readingSourceSchema = z.enum(['sms', 'web', 'estimate', 'import']);

export const readingSchema = z.strictObject({
  id: z.string().min(1),
  accountNumber: z.string().min(1),
  meterId: z.string().min(1),
  /** The billing period the reading counts for: the month of the window it was sent in. */
  period: z.string().regex(PERIOD_PATTERN),
  /** Whole units per register, in the meter's order (day before night). */
  values: z.record(z.string(), z.number().int().nonnegative()),
  /** Consumption since the previous accepted reading, all registers together. */
  consumption: z.number().nonnegative(),
  source: readingSourceSchema,
  /** accepted; flagged (accepted, but far above usual); superseded (a later one in the window counts). */
  status: readingStatusSchema,
  submittedAt: z.iso.datetime({ offset: true }),
  messageId: z.string().optional(),
  email: z.string().optional(),
});
export type Reading = z.infer<typeof readingSchema>;

export interface WindowRule {
  startDay: number;
  endDay: number;
}

/** Whether readings are taken now (local date of the utility) and for which period. */
export function readingWindow(
  now: Date,
  timeZone: string,
  rule: WindowRule,
): { open: boolean; period: Period } {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return { open: local.day >= rule.startDay && local.day <= rule.endDay, period: local.toFormat('yyyy-MM') };
}

export type ReadingProblem =
  | { code: 'register-count'; expected: string[] }
  | { code: 'too-many-digits'; digits: number }
  | { code: 'below-previous'; register: string; value: number; previous: number };

export interface ReadingInput {
  registers: string[];
  digits: number;
  values: number[];
  /** The last accepted reading of an earlier period, if any. */
  previous?: Record<string, number>;
  /** Average monthly consumption from the bills, if there is a history. */
  averageMonthly?: number;
  plausibilityFactor: number;
  allowRollover: boolean;
}

export type ReadingCheck =
  | { ok: true; values: Record<string, number>; consumption: number; flagged: boolean }
  | { ok: false; problem: ReadingProblem };

/**
 * The number of readings must match the meter's registers; each must fit the meter's digits and not
 * be below the previous one, unless the meter rolled over (from its last tenth to its first tenth).
 * Consumption above `plausibilityFactor` times the monthly average is accepted but flagged.
 */
export function checkReading(input: ReadingInput): ReadingCheck {
  if (input.values.length !== input.registers.length) {
    return { ok: false, problem: { code: 'register-count', expected: input.registers } };
  }
  const capacity = 10 ** input.digits;
  const values: Record<string, number> = {};
  let consumption = 0;
  for (const [i, register] of input.registers.entries()) {
    const value = input.values[i] as number;
    if (value >= capacity) return { ok: false, problem: { code: 'too-many-digits', digits: input.digits } };
    values[register] = value;
    const previous = input.previous?.[register];
    if (previous === undefined) continue;
    let delta = value - previous;
    if (delta < 0) {
      const rolledOver = input.allowRollover && previous >= capacity * 0.9 && value < capacity * 0.1;
      if (!rolledOver) return { ok: false, problem: { code: 'below-previous', register, value, previous } };
      delta += capacity;
    }
    consumption += delta;
  }
  const flagged =
    input.previous !== undefined &&
    input.averageMonthly !== undefined &&
    input.averageMonthly > 0 &&
    consumption > input.plausibilityFactor * input.averageMonthly;
  return { ok: true, values, consumption, flagged };
}

/** Average monthly consumption over the most recent measured (not estimated) bills. */
export function averageMonthlyUsage(
  bills: Array<{ usage: { volume: number; estimated: boolean }; usagePeriod: { from: string; to: string } }>,
  months: number,
): number | undefined {
  let volume = 0;
  let span = 0;
  for (const bill of bills.filter((b) => !b.usage.estimated).slice(0, months)) {
    const days = DateTime.fromISO(bill.usagePeriod.to).diff(
      DateTime.fromISO(bill.usagePeriod.from),
      'days',
    ).days;
    if (days <= 0) continue;
    volume += bill.usage.volume;
    span += days / 30.4375;
  }
  return span > 0 ? volume / span : undefined;
}

/** Which of two readings of one window was sent later (by time; the id breaks a tie, so every worker agrees). */
export function sentLater(
  a: Pick<Reading, 'submittedAt' | 'id'>,
  b: Pick<Reading, 'submittedAt' | 'id'>,
): boolean {
  return a.submittedAt === b.submittedAt ? a.id > b.id : a.submittedAt > b.submittedAt;
}

/** The reading that counts for a meter's period: the last one sent of those not superseded. */
export function countingReading(readings: Reading[], meterId: string, period: string): Reading | undefined {
  let current: Reading | undefined;
  for (const r of readings) {
    if (r.meterId !== meterId || r.period !== period || r.status === 'superseded') continue;
    if (!current || sentLater(r, current)) current = r;
  }
  return current;
}

/** What storing a reading does to its window: whether it counts, and what it supersedes. */
export interface WindowChange {
  /** The reading counts (it was sent after the one counting so far); otherwise it is stored superseded. */
  counts: boolean;
  /** The readings to mark superseded in the same write. */
  supersedes: Reading[];
  /** The id the window's guard names after the write. */
  counting: string;
}

/**
 * How a new reading changes its window. The guard names the one reading that counts, so that reading is the one a
 * later reading supersedes: the guard is checked in the same write, so this holds however stale the rest of the
 * read might be. A window stored before guards existed has none: then every reading of it not yet superseded is.
 * Undefined when the guard names a reading the read did not return (a read older than the guard): read again.
 */
export function windowChange(
  window: Reading[],
  guard: { readingId: string } | undefined,
  reading: Reading,
): WindowChange | undefined {
  const counting = guard
    ? window.find((r) => r.id === guard.readingId)
    : countingReading(window, reading.meterId, reading.period);
  if (guard && !counting) return undefined;
  if (counting && !sentLater(reading, counting)) {
    // Sent before the one that counts (a late delivery): kept, already superseded.
    return { counts: false, supersedes: [], counting: counting.id };
  }
  const supersedes = guard ? (counting ? [counting] : []) : window.filter((r) => r.status !== 'superseded');
  return { counts: true, supersedes, counting: reading.id };
}

/** The counting reading of the latest period before `period` (estimates aside: they bind no one). */
function baselineReading(readings: Reading[], meterId: string, period: string): Reading | undefined {
  let baseline: Reading | undefined;
  for (const r of readings) {
    if (r.meterId !== meterId || r.period >= period || r.status === 'superseded' || r.source === 'estimate')
      continue;
    if (!baseline || r.period > baseline.period || (r.period === baseline.period && sentLater(r, baseline))) {
      baseline = r;
    }
  }
  return baseline;
}

/** A meter's last known reading: its values per register, the local date it was taken, and where it is from. */
export interface KnownReading {
  values: Record<string, number>;
  date: string;
  from: Reading['source'] | 'bill';
}

/** The local date (YYYY-MM-DD) an instant falls on in the utility's zone. */
const localDateOf = (instant: string, timeZone: string) =>
  DateTime.fromISO(instant, { zone: timeZone }).toFormat('yyyy-MM-dd');

/**
 * What a new reading of `period`, taken on the local date `date`, is measured against: the latest of the counting
 * reading of the latest earlier period (SMS, web, import) and the actual current readings printed on the account's
 * bills up to that date. An estimated reading on a bill is left out: an actual reading below an estimate is how a
 * reconciliation finds that the estimates were too high, not a mistake. On the same date a reading wins over a bill.
 */
export function lastKnownReading(
  context: { readings: Reading[]; bills: Array<Pick<Bill, 'meterReadings'>> },
  meterId: string,
  period: string,
  date: string,
  timeZone: string,
): KnownReading | undefined {
  const baseline = baselineReading(context.readings, meterId, period);
  let known: KnownReading | undefined = baseline
    ? { values: baseline.values, date: localDateOf(baseline.submittedAt, timeZone), from: baseline.source }
    : undefined;
  for (const bill of context.bills) {
    const printed = (bill.meterReadings ?? []).filter(
      (r) => r.meterId === meterId && r.current.kind === 'actual' && r.current.date <= date,
    );
    const billDate = printed[0]?.current.date;
    if (billDate === undefined || (known && known.date >= billDate)) continue;
    known = {
      values: Object.fromEntries(printed.map((r) => [r.register, r.current.value])),
      date: billDate,
      from: 'bill',
    };
  }
  return known;
}
