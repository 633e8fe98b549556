import { describe, expect, it } from 'vitest';
import { averageMonthlyUsage, checkReading, readingWindow } from '#domain/reading';

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
