import { describe, expect, it } from 'vitest';
import {
  averageMonthlyUsage,
  checkReading,
  lastKnownReading,
  readingWindow,
  windowChange,
} from '#domain/reading';
import { aBill, aReading } from '#test/support/builders';

const base = { registers: ['day', 'night'], digits: 6, plausibilityFactor: 3, allowRollover: true };

describe('the reading window (15th to 25th, local time)', () => {
  it('opens at local midnight of the 15th and closes after the 25th, in Yekaterinburg time', () => {
    const rule = { startDay: 15, endDay: 25 };
    // 2026-12-14 19:00 UTC is 00:00 on the 15th in Yekaterinburg (UTC+5).
    expect(readingWindow(new Date('2026-12-14T18:59:59Z'), 'Asia/Yekaterinburg', rule)).toEqual({
      open: false,
      period: '2026-12',
    });
    expect(readingWindow(new Date('2026-12-14T19:00:00Z'), 'Asia/Yekaterinburg', rule)).toEqual({
      open: true,
      period: '2026-12',
    });
    expect(readingWindow(new Date('2026-12-25T18:59:59Z'), 'Asia/Yekaterinburg', rule).open).toBe(true);
    expect(readingWindow(new Date('2026-12-25T19:00:00Z'), 'Asia/Yekaterinburg', rule).open).toBe(false);
  });
});

describe('checking a reading', () => {
  it('needs one value per register, day first', () => {
    expect(checkReading({ ...base, values: [1234] })).toEqual({
      ok: false,
      problem: { code: 'register-count', expected: ['day', 'night'] },
    });
    expect(checkReading({ ...base, values: [1234, 187] })).toEqual({
      ok: true,
      values: { day: 1234, night: 187 },
      consumption: 0,
      flagged: false,
    });
  });

  it('refuses a value below the previous one, and more digits than the meter has', () => {
    expect(checkReading({ ...base, values: [1200, 190], previous: { day: 1234, night: 187 } })).toEqual({
      ok: false,
      problem: { code: 'below-previous', register: 'day', value: 1200, previous: 1234 },
    });
    expect(checkReading({ ...base, values: [1_000_000, 1] })).toMatchObject({
      problem: { code: 'too-many-digits' },
    });
  });

  it('accepts a roll-over past the last digit, and counts it as consumption', () => {
    const result = checkReading({ ...base, values: [120, 200], previous: { day: 999_900, night: 190 } });
    expect(result).toEqual({ ok: true, values: { day: 120, night: 200 }, consumption: 230, flagged: false });
    expect(
      checkReading({
        ...base,
        allowRollover: false,
        values: [120, 200],
        previous: { day: 999_900, night: 190 },
      }).ok,
    ).toBe(false);
  });

  it('accepts but flags consumption above the multiple of the monthly average', () => {
    const previous = { day: 1000, night: 500 };
    expect(checkReading({ ...base, values: [1200, 600], previous, averageMonthly: 100 })).toMatchObject({
      ok: true,
      consumption: 300,
      flagged: false,
    });
    expect(checkReading({ ...base, values: [1201, 600], previous, averageMonthly: 100 })).toMatchObject({
      ok: true,
      consumption: 301,
      flagged: true,
    });
  });
});

describe('average monthly consumption', () => {
  it('averages measured bills over their usage periods, skipping estimates', () => {
    const bill = (volume: number, from: string, to: string, estimated = false) => ({
      usage: { volume, estimated },
      usagePeriod: { from, to },
    });
    const average = averageMonthlyUsage(
      [
        bill(40, '2026-09-05', '2026-11-04'),
        bill(999, '2026-07-05', '2026-09-04', true),
        bill(20, '2026-05-05', '2026-07-04'),
      ],
      6,
    );
    expect(average).toBeCloseTo(60 / (120 / 30.4375), 5);
    expect(averageMonthlyUsage([], 6)).toBeUndefined();
  });
});

describe('what a new reading does to its window', () => {
  const at = (hour: number) => `2026-12-16T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const r1 = aReading({ id: 'r1', submittedAt: at(5), status: 'superseded' });
  const r2 = aReading({ id: 'r2', submittedAt: at(6) });
  const next = aReading({ id: 'r3', submittedAt: at(7) });

  it('supersedes the reading the guard names and counts, when sent after it', () => {
    expect(windowChange([r2, r1], { readingId: 'r2' }, next)).toEqual({
      counts: true,
      supersedes: [r2],
      counting: 'r3',
    });
  });

  it('supersedes nothing and leaves the guard on the counting one, when sent before it (a late delivery)', () => {
    const late = aReading({ id: 'r0', submittedAt: at(4) });
    expect(windowChange([r2, r1], { readingId: 'r2' }, late)).toEqual({
      counts: false,
      supersedes: [],
      counting: 'r2',
    });
  });

  it('supersedes only what the guard names, even where the read shows another reading counting', () => {
    const stale = { ...r1, status: 'accepted' as const };
    expect(windowChange([r2, stale], { readingId: 'r2' }, next)?.supersedes).toEqual([r2]);
  });

  it('needs a new read when the guard names a reading the read did not return', () => {
    expect(windowChange([{ ...r1, status: 'accepted' }], { readingId: 'r2' }, next)).toBeUndefined();
  });

  it('supersedes every reading still counting in a window stored before guards, and counts the first of a window', () => {
    const older = aReading({ id: 'r0', submittedAt: at(4) });
    expect(windowChange([r2, older, r1], undefined, next)).toEqual({
      counts: true,
      supersedes: [r2, older],
      counting: 'r3',
    });
    expect(windowChange([], undefined, next)).toEqual({ counts: true, supersedes: [], counting: 'r3' });
  });
});

describe("a meter's last known reading, from any source", () => {
  const ZONE = 'Asia/Seoul';
  const printed = (value: number, date: string, kind: 'actual' | 'estimated' = 'actual') =>
    aBill({
      period: `${date.slice(0, 7)}`,
      meterReadings: [{ meterId: 'WM-1', register: 'total', current: { value, date, kind }, volume: 20 }],
    });

  // A resident's first SMS used to be checked against nothing: the bill printed 1234, yet 1200 was accepted.
  it('is the current reading printed on the latest bill when the meter has no earlier reading', () => {
    const known = lastKnownReading(
      { readings: [], bills: [printed(1234, '2026-12-04'), printed(1214, '2026-10-04')] },
      'WM-1',
      '2026-12',
      '2026-12-16',
      ZONE,
    );
    expect(known).toEqual({ values: { total: 1234 }, date: '2026-12-04', from: 'bill' });
  });

  it('is the later of the bill and the counting reading of an earlier period; on the same date the reading', () => {
    const november = aReading({
      period: '2026-11',
      values: { total: 1250 },
      submittedAt: '2026-11-20T01:00:00.000Z',
    });
    const context = { readings: [november], bills: [printed(1234, '2026-11-04')] };
    expect(lastKnownReading(context, 'WM-1', '2026-12', '2026-12-16', ZONE)).toEqual({
      values: { total: 1250 },
      date: '2026-11-20',
      from: 'web',
    });
    const sameDay = { readings: [november], bills: [printed(1260, '2026-11-20')] };
    expect(lastKnownReading(sameDay, 'WM-1', '2026-12', '2026-12-16', ZONE)?.from).toBe('web');
    const billLater = { readings: [november], bills: [printed(1300, '2026-12-04')] };
    expect(lastKnownReading(billLater, 'WM-1', '2026-12', '2026-12-16', ZONE)?.values).toEqual({
      total: 1300,
    });
  });

  it('leaves out estimates (on bills and as readings), bills dated after the reading, and other meters', () => {
    const estimate = aReading({ period: '2026-11', values: { total: 1500 }, source: 'estimate' });
    const context = {
      readings: [estimate, aReading({ meterId: 'WM-2', period: '2026-11', values: { total: 9000 } })],
      bills: [
        printed(1400, '2026-12-04', 'estimated'),
        printed(1350, '2026-12-20'),
        printed(1100, '2026-10-04'),
      ],
    };
    expect(lastKnownReading(context, 'WM-1', '2026-12', '2026-12-16', ZONE)).toEqual({
      values: { total: 1100 },
      date: '2026-10-04',
      from: 'bill',
    });
    expect(
      lastKnownReading({ readings: [], bills: [] }, 'WM-1', '2026-12', '2026-12-16', ZONE),
    ).toBeUndefined();
  });
});
