// Seoul's water bill priced from config/seoul-water.json: worked examples with the arithmetic written out.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { priceUsage, type UsageToPrice } from '#domain/tariff';
import { PricingError } from '#domain/tariff-lines';

const seoul = loadUtilityConfig('seoul-water');

/** A bimonthly Seoul bill of period 2026-05: usage 2026-03-05..2026-05-04, after every 2026 rate took effect. */
const usage = (overrides: Partial<UsageToPrice> = {}): UsageToPrice => ({
  period: '2026-05',
  usagePeriod: { from: '2026-03-05', to: '2026-05-04' },
  registers: { total: 40 },
  meterKind: 'single',
  households: 1,
  reductions: [],
  selfReadings: 0,
  language: 'en',
  ...overrides,
});

const amounts = (lines: Array<{ code: string; amount: number }>) => lines.map((l) => [l.code, l.amount]);

describe('a Seoul water bill', () => {
  it('prices a meter two households share per household, then times two (multi-child and e-billing)', () => {
    // Two flats behind one meter used 40 m3 in two months; the holder's family has three children and takes
    // the bill electronically.
    const priced = priceUsage(seoul, usage({ households: 2, reductions: ['multi-child', 'e-billing'] }));
    // 40 m3 / 2 households = 20 m3 each.
    expect(priced.charges).toEqual([
      { code: 'water', label: 'Water charge', volume: 40, rate: 580, amount: 2 * (20 * 580) }, // 23,200
      { code: 'sewage', label: 'Sewage charge', volume: 40, rate: 480, amount: 2 * (20 * 480) }, // 19,200
      { code: 'water-use-levy', label: 'Water-use levy', volume: 40, rate: 170, amount: 2 * (20 * 170) }, // 6,800
    ]);
    // Charges 49,200. Multi-child: 30% of sewage 19,200 = 5,760.
    // E-billing: 1% of (49,200 - 5,760) = 434.4, within 200..1,000, down to 10 won = 430.
    expect(priced.reductions).toEqual([
      { code: 'multi-child', label: 'Multi-child sewage reduction', amount: 5_760 },
      { code: 'e-billing', label: 'E-billing discount', amount: 430 },
    ]);
    expect(priced.total).toBe(49_200 - 5_760 - 430); // 43,010
  });

  it('rounds each household’s line down to 10 won before multiplying', () => {
    // 41 m3 over two flats: 20.5 m3 each.
    const priced = priceUsage(seoul, usage({ registers: { total: 41 }, households: 2 }));
    expect(amounts(priced.charges)).toEqual([
      ['water', 2 * 11_890], // 20.5 x 580 = 11,890
      ['sewage', 2 * 9_840], // 20.5 x 480 = 9,840
      ['water-use-levy', 2 * 3_480], // 20.5 x 170 = 3,485 -> 3,480
    ]);
  });

  it('charged sewage in bands per household per month before 2026, the bands doubled for two months', () => {
    // A household on the vulnerable list used 130 m3 in March and April 2025.
    const priced = priceUsage(
      seoul,
      usage({
        period: '2025-05',
        usagePeriod: { from: '2025-03-05', to: '2025-05-04' },
        registers: { total: 130 },
        reductions: ['vulnerable'],
      }),
    );
    // Bands 0-30 / 30-50 / 50+ m3 a month are 0-60 / 60-100 / 100+ m3 over two months.
    expect(priced.charges.filter((l) => l.code === 'sewage')).toEqual([
      { code: 'sewage', label: 'Sewage charge', volume: 60, rate: 400, amount: 60 * 400 }, // 24,000
      { code: 'sewage', label: 'Sewage charge', volume: 40, rate: 930, amount: 40 * 930 }, // 37,200
      { code: 'sewage', label: 'Sewage charge', volume: 30, rate: 1420, amount: 30 * 1420 }, // 42,600
    ]);
    // 10 m3 a month free = 20 m3 of water, sewage (its cheapest band) and levy: 11,600 + 8,000 + 3,400 = 23,000,
    // i.e. 11,500 won a month.
    expect(priced.reductions).toEqual([
      { code: 'vulnerable', label: 'Vulnerable household reduction', amount: 20 * 580 + 20 * 400 + 20 * 170 },
    ]);
  });

  it('splits a usage period that spans the 2026 sewage change by days', () => {
    // 40 m3 read from 5 November 2025 to 4 January 2026: 61 days, 57 before the new rate and 4 after.
    const priced = priceUsage(
      seoul,
      usage({ period: '2026-01', usagePeriod: { from: '2025-11-05', to: '2026-01-04' } }),
    );
    // 40 x 57/61 = 37.377 m3 in the old first band (0-30 m3 a month, i.e. 0-56.07 m3 over these 57 days):
    // 37.377 x 400 = 14,950.8 -> 14,950. 40 x 4/61 = 2.623 m3 x 480 = 1,259.0 -> 1,250.
    expect(priced.charges.filter((l) => l.code === 'sewage')).toEqual([
      { code: 'sewage', label: 'Sewage charge', volume: 37.377, rate: 400, amount: 14_950 },
      { code: 'sewage', label: 'Sewage charge', volume: 2.623, rate: 480, amount: 1_250 },
    ]);
    // Water has been 580 since 2023: one line.
    expect(amounts(priced.charges.filter((l) => l.code === 'water'))).toEqual([['water', 40 * 580]]);
  });

  it('takes the multi-child reduction only for the days after it started on 2026-03-01', () => {
    // 59 m3 from 5 January to 4 March 2026: 59 days, the last 4 of them under the reduction.
    const priced = priceUsage(
      seoul,
      usage({
        period: '2026-03',
        usagePeriod: { from: '2026-01-05', to: '2026-03-04' },
        registers: { total: 59 },
        reductions: ['multi-child'],
      }),
    );
    // 30% of sewage 59 x 480 = 28,320 is 8,496; for 4 of 59 days: 576 -> 570.
    expect(priced.reductions).toEqual([
      { code: 'multi-child', label: 'Multi-child sewage reduction', amount: 570 },
    ]);
  });

  it('gives single parents 10 m3 of sewage a month and self-readers 600 won a reading', () => {
    const priced = priceUsage(
      seoul,
      usage({ reductions: ['single-parent', 'self-reading'], selfReadings: 2 }),
    );
    expect(amounts(priced.reductions)).toEqual([
      ['single-parent', 20 * 480], // 10 m3 a month x 2 months of sewage = 9,600
      ['self-reading', 2 * 600],
    ]);
  });

  it('keeps the e-billing discount between 200 and 1,000 won', () => {
    // 1 m3 costs 580 + 480 + 170 = 1,230 won in 2026. 10 m3: 12,300, 1% = 123 -> at least 200.
    const small = priceUsage(seoul, usage({ registers: { total: 10 }, reductions: ['e-billing'] }));
    expect(amounts(small.reductions)).toEqual([['e-billing', 200]]);
    // 200 m3: 246,000, 1% = 2,460 -> at most 1,000.
    const large = priceUsage(seoul, usage({ registers: { total: 200 }, reductions: ['e-billing'] }));
    expect(amounts(large.reductions)).toEqual([['e-billing', 1_000]]);
  });

  it('never reduces a bill below zero', () => {
    // 5 m3 on the vulnerable list is all free (2,900 + 2,400 + 850 = 6,150); nothing is left for e-billing.
    const priced = priceUsage(
      seoul,
      usage({ registers: { total: 5 }, reductions: ['vulnerable', 'e-billing'] }),
    );
    expect(amounts(priced.reductions)).toEqual([['vulnerable', 6_150]]);
    expect(priced.total).toBe(0);
  });

  it('refuses what the configuration cannot price, naming why', () => {
    const reason = (overrides: Partial<UsageToPrice>) => {
      try {
        priceUsage(seoul, usage(overrides));
      } catch (error) {
        expect(error).toBeInstanceOf(PricingError);
        return `${(error as PricingError).type}: ${(error as Error).message}`;
      }
      throw new Error('priced');
    };
    expect(reason({ reductions: ['pensioner'] })).toBe(
      'reduction-unknown: "pensioner" is no reduction of seoul-water',
    );
    expect(reason({ usagePeriod: { from: '2020-11-05', to: '2021-01-04' } })).toMatch(
      /^tariff-not-in-force: "water" has no rate before 2021-01-01/,
    );
    expect(reason({ usagePeriod: { from: '2026-05-04', to: '2026-03-05' } })).toMatch(
      /^usage-period-invalid/,
    );
    expect(reason({ meterKind: 'two-tariff' })).toMatch(/^meter-kind-unknown/);
    expect(reason({ households: 0 })).toMatch(/^households-invalid/);
    expect(reason({ registers: { total: -3 } })).toBe('volume-invalid: register "total" has volume -3');
  });
});
