// Tyumen's electricity priced from config/tyumen-power.json: day and night rates, the July 2026 change, kopecks.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { priceUsage, type UsageToPrice } from '#domain/tariff';

const tyumen = loadUtilityConfig('tyumen-power');

const usage = (overrides: Partial<UsageToPrice>): UsageToPrice => ({
  period: '2026-11',
  usagePeriod: { from: '2026-10-01', to: '2026-10-31' },
  registers: { total: 0 },
  meterKind: 'single',
  households: 1,
  reductions: [],
  selfReadings: 0,
  language: 'ru',
  ...overrides,
});

describe('a Tyumen electricity bill', () => {
  it('prices a two-tariff meter’s day and night registers at their own rates, in kopecks', () => {
    // October 2026 on a day/night meter: 192 kWh by day, 118 kWh by night.
    const priced = priceUsage(
      tyumen,
      usage({ meterKind: 'two-tariff', registers: { day: 192, night: 118 } }),
    );
    expect(priced.charges).toEqual([
      // 192 x 6.84 = 1,313.28 RUB
      { code: 'energy-day', label: 'Электроэнергия, день', volume: 192, rate: 6.84, amount: 131_328 },
      // 118 x 4.07 = 480.26 RUB
      { code: 'energy-night', label: 'Электроэнергия, ночь', volume: 118, rate: 4.07, amount: 48_026 },
    ]);
    expect(priced.reductions).toEqual([]);
    expect(priced.total).toBe(179_354);
  });

  it('charges a single-rate meter on its total only', () => {
    const priced = priceUsage(tyumen, usage({ registers: { total: 200 }, language: 'en' }));
    // 200 x 6.37 = 1,274.00 RUB
    expect(priced.charges).toEqual([
      { code: 'energy', label: 'Electricity', volume: 200, rate: 6.37, amount: 127_400 },
    ]);
  });

  it('splits a reading period that spans the 1 July 2026 rate change by days', () => {
    // A resident read 300 kWh from 15 June to 14 July: 30 days, 16 in June and 14 in July.
    const priced = priceUsage(
      tyumen,
      usage({
        period: '2026-08',
        usagePeriod: { from: '2026-06-15', to: '2026-07-14' },
        registers: { total: 300 },
      }),
    );
    expect(priced.charges).toEqual([
      // 300 x 16/30 = 160 kWh x 5.66 = 905.60 RUB
      { code: 'energy', label: 'Электроэнергия', volume: 160, rate: 5.66, amount: 90_560 },
      // 300 x 14/30 = 140 kWh x 6.37 = 891.80 RUB
      { code: 'energy', label: 'Электроэнергия', volume: 140, rate: 6.37, amount: 89_180 },
    ]);
    expect(priced.total).toBe(179_740);
  });

  it('splits both registers of a two-tariff meter, and rounds half a kopeck up', () => {
    // 16 June to 15 July: 15 days at the old rates, 15 at the new. Day 310 kWh, night 155 kWh.
    const priced = priceUsage(
      tyumen,
      usage({
        meterKind: 'two-tariff',
        period: '2026-08',
        usagePeriod: { from: '2026-06-16', to: '2026-07-15' },
        registers: { day: 310, night: 155 },
      }),
    );
    expect(priced.charges.map((l) => [l.code, l.volume, l.rate, l.amount])).toEqual([
      ['energy-day', 155, 6.08, 94_240], // 942.40
      ['energy-day', 155, 6.84, 106_020], // 1,060.20
      ['energy-night', 77.5, 3.62, 28_055], // 280.55
      ['energy-night', 77.5, 4.07, 31_543], // 315.425 -> 315.43
    ]);
  });

  it('computes in exact decimals: 22.5 kWh at 6.37 is 143.325, rounded up to 143.33', () => {
    // Two flats share a single-rate meter that moved 45 kWh: 22.5 each. In binary floating point
    // 22.5 x 6.37 x 100 is 14,332.4999..., which would round down to 143.32.
    const priced = priceUsage(tyumen, usage({ registers: { total: 45 }, households: 2 }));
    expect(priced.charges.map((l) => l.amount)).toEqual([2 * 14_333]);
  });
});
