import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import type { EstimationConfig } from '#config/schema';
import type { Bill } from '#domain/bill';
import { type MeterUsage, type MeterUsageInput, meterUsage, NoEstimateError } from '#domain/estimate';
import { addMonths } from '#domain/period';
import { aBill } from '#test/support/builders';

type Values = Record<string, number>;

/** The commonly quoted rule: the average for at most 3 periods, then the normative. */
const quoted: EstimationConfig = {
  policy: 'average-then-normative',
  averageMonths: 6,
  maxEstimatedPeriods: 3,
  minimumHistoryMonths: 2,
  normative: { single: { total: 180 }, 'two-tariff': { day: 120, night: 60 } },
};
const SINGLE = { id: 'M-1', kind: 'single' as const, registers: ['total'], digits: 6 };
const TWO_TARIFF = { id: 'M-2', kind: 'two-tariff' as const, registers: ['day', 'night'], digits: 6 };

interface Cycle {
  estimation: EstimationConfig;
  meter: MeterUsageInput['meter'];
  households?: number;
  months?: number;
  /** The window month of the first bill; each later bill's window is `months` later. */
  firstWindow?: string;
  history?: Bill[];
}

/**
 * Runs bills one after another the way the billing run does: each window's reading (or none), with the bills made so
 * far as the history, newest first. Readings are taken on the 20th; the run bills on the 26th.
 */
function billingCycle(cycle: Cycle, readings: Array<Values | undefined>): MeterUsage[] {
  const months = cycle.months ?? 1;
  const history = [...(cycle.history ?? [])];
  const results: MeterUsage[] = [];
  let window = cycle.firstWindow ?? '2026-01';
  for (const values of readings) {
    const usage = meterUsage({
      estimation: cycle.estimation,
      meter: cycle.meter,
      households: cycle.households ?? 1,
      months,
      billDate: `${window}-26`,
      ...(values ? { reading: { values, date: `${window}-20` } } : {}),
      history,
    });
    results.push(usage);
    history.unshift(billOf(usage, window, months));
    window = addMonths(window, months);
  }
  return results;
}

function billOf(usage: MeterUsage, window: string, months: number): Bill {
  const volume = Object.values(usage.registers).reduce((a, b) => a + b, 0);
  return aBill({
    period: addMonths(window, 1),
    usagePeriod: { from: `${addMonths(window, -months)}-26`, to: `${window}-26` },
    usage: {
      volume,
      unit: 'kWh',
      registers: usage.registers,
      estimated: usage.method === 'average' || usage.method === 'normative',
      method: usage.method,
      ...(usage.creditCarried ? { creditCarried: usage.creditCarried } : {}),
    },
    meterReadings: usage.lines,
    source: 'billing-run',
  });
}

/** One row per bill: how the volume was got, the volume billed, the printed reading, the credit left. */
const table = (results: MeterUsage[], register = 'total') =>
  results.map((r) => {
    const line = r.lines.find((l) => l.register === register);
    return [
      r.method,
      r.registers[register],
      line ? `${line.current.value}${line.current.kind === 'estimated' ? ' est' : ''}` : '-',
      r.creditCarried?.[register] ?? 0,
    ];
  });

describe('a meter’s volume on a bill', () => {
  // A resident reads twice, misses four windows, reads again (the normative was too low), and then, after one
  // more estimate that came out too high, reads lower than the printed estimate: the difference is owed back.
  it('averages the last actual months for three periods, then the normative, reconciles, and carries a credit', () => {
    const results = billingCycle({ estimation: quoted, meter: SINGLE }, [
      { total: 1000 }, // opens the count: nothing before it is known
      { total: 1140 }, // 1140 - 1000 = 140
      { total: 1300 }, // 1300 - 1140 = 160
      undefined, // average of 140 and 160 = 150 a month
      undefined, // 150
      undefined, // 150: the third consecutive estimate
      undefined, // past 3 estimates: the normative, 180 x 1 household x 1 month
      { total: 2100 }, // 2100 - 1930 printed = 170; 150 + 150 + 150 + 180 + 170 = 800 = 2100 - 1300
      undefined, // average over 6 months: (800 over 1300 -> 2100 in 5 months + 160 in 1) / 6 = 960 / 6 = 160
      { total: 2200 }, // 2200 - 2260 printed = -60: nothing billed, 60 owed back
      { total: 2240 }, // 40 consumed, all of it taken off the credit: 20 left
      { total: 2330 }, // 90 consumed - 20 credit = 70
    ]);
    expect(table(results)).toEqual([
      ['actual', 0, '1000', 0],
      ['actual', 140, '1140', 0],
      ['actual', 160, '1300', 0],
      ['average', 150, '1450 est', 0],
      ['average', 150, '1600 est', 0],
      ['average', 150, '1750 est', 0],
      ['normative', 180, '1930 est', 0],
      ['reconciled', 170, '2100', 0],
      ['average', 160, '2260 est', 0],
      ['reconciled', 0, '2200', 60],
      ['actual', 0, '2240', 20],
      ['actual', 70, '2330', 0],
    ]);
    expect(results.map((r) => r.estimatedPeriods)).toEqual([0, 0, 0, 1, 2, 3, 4, 0, 1, 0, 0, 0]);
    // The bill prints the reading it counted from: the estimate, dated the day of the run.
    expect(results[7]?.lines).toEqual([
      {
        meterId: 'M-1',
        register: 'total',
        previous: { value: 1930, date: '2026-07-26', kind: 'estimated' },
        current: { value: 2100, date: '2026-08-20', kind: 'actual' },
        volume: 170,
      },
    ]);
    expect(results[9]?.lines[0]).toMatchObject({ previous: { value: 2260, kind: 'estimated' }, volume: 0 });
  });

  // A resident owed 40 kWh misses the next window: the estimate is billed less what the utility owes.
  it('takes a carried credit off an estimated bill too', () => {
    const results = billingCycle({ estimation: quoted, meter: SINGLE }, [
      { total: 1000 },
      { total: 1100 }, // 100
      { total: 1200 }, // 100
      undefined, // 100: printed 1300
      { total: 1260 }, // 1260 - 1300 = -40: owed back
      // Average over 1000 -> 1260: (100 + 100 + (100 - 40) in two months) / 4 months = 65, less the 40 owed = 25;
      // the printed reading counts the whole estimate: 1260 + 65.
      undefined,
    ]);
    expect(table(results).slice(4)).toEqual([
      ['reconciled', 0, '1260', 40],
      ['average', 25, '1325 est', 0],
    ]);
  });

  // A flat with two single-rate meters (kitchen and bathroom): a credit owed on the account is used once, not twice.
  it('takes the account’s credit off one meter when two meters share the register', () => {
    const line = (meterId: string, previous: number, current: number) => ({
      meterId,
      register: 'total',
      previous: { value: previous, date: '2026-02-20', kind: 'estimated' as const },
      current: { value: current, date: '2026-03-20', kind: 'actual' as const },
      volume: 0,
    });
    const previousBill = aBill({
      usage: {
        volume: 0,
        unit: 'kWh',
        registers: { total: 0 },
        estimated: false,
        method: 'reconciled',
        creditCarried: { total: 50 },
      },
      meterReadings: [line('KITCHEN', 600, 550), line('BATH', 300, 290)],
    });
    const usageOf = (id: string, total: number) =>
      meterUsage({
        estimation: quoted,
        meter: { ...SINGLE, id },
        households: 1,
        months: 1,
        billDate: '2026-04-26',
        reading: { values: { total }, date: '2026-04-20' },
        history: [previousBill],
      });
    // Kitchen 550 -> 580: 30, all taken off the 50 owed, 20 left; bathroom 290 -> 330: 40 billed in full.
    expect(usageOf('KITCHEN', 580)).toMatchObject({ registers: { total: 0 }, creditCarried: { total: 20 } });
    expect(usageOf('BATH', 330)).toMatchObject({ registers: { total: 40 } });
    expect(usageOf('BATH', 330)).not.toHaveProperty('creditCarried');
  });

  // Tyumen's own rule (seed 004): six months on the average, then the normative; a two-tariff household of two.
  it('keeps Tyumen on the average for six periods, per register in the history’s proportions, then the normative', () => {
    const tyumen = loadUtilityConfig('tyumen-power');
    const digits = tyumen.meterKinds.find((m) => m.kind === 'two-tariff')?.digits ?? 0;
    const results = billingCycle(
      { estimation: tyumen.estimation, meter: { ...TWO_TARIFF, digits }, households: 2 },
      [
        { day: 5000, night: 2000 },
        { day: 5200, night: 2090 }, // day 200, night 90
        { day: 5410, night: 2200 }, // day 210, night 110
        { day: 5600, night: 2300 }, // day 190, night 100: three months, Tyumen's minimum history
        ...Array<undefined>(7).fill(undefined),
      ],
    );
    // Average: day (200 + 210 + 190) / 3 = 200, night (90 + 110 + 100) / 3 = 100, for six periods; the seventh
    // takes the normative: day 120 x 2 households = 240, night 60 x 2 = 120.
    expect(table(results, 'day').slice(4)).toEqual([
      ['average', 200, '5800 est', 0],
      ['average', 200, '6000 est', 0],
      ['average', 200, '6200 est', 0],
      ['average', 200, '6400 est', 0],
      ['average', 200, '6600 est', 0],
      ['average', 200, '6800 est', 0],
      ['normative', 240, '7040 est', 0],
    ]);
    expect(
      table(results, 'night')
        .slice(4)
        .map((row) => row[1]),
    ).toEqual([100, 100, 100, 100, 100, 100, 120]);
    expect(results.at(-1)?.estimatedPeriods).toBe(7);
  });

  // A household that moved in two months ago: Tyumen wants three months of history before it averages.
  it('takes the normative at once when the actual history is shorter than the minimum', () => {
    const tyumen = loadUtilityConfig('tyumen-power');
    const results = billingCycle({ estimation: tyumen.estimation, meter: SINGLE, households: 3 }, [
      { total: 100 },
      { total: 400 }, // 300
      { total: 650 }, // 250: two months of history, below 3
      undefined, // normative 180 x 3 households = 540
    ]);
    expect(table(results).at(-1)).toEqual(['normative', 540, '1190 est', 0]);
  });

  // A new account whose meter nobody has read yet: nothing is known to print, and the normative is billed.
  it('bills a first bill without history or reading on the normative, with no reading printed', () => {
    const [first, second] = billingCycle({ estimation: quoted, meter: SINGLE, households: 2 }, [
      undefined,
      { total: 4321 },
    ]);
    expect(first).toEqual({
      lines: [],
      registers: { total: 360 },
      method: 'normative',
      estimatedPeriods: 1,
    });
    // The first reading opens the count: the normative already billed stands.
    expect(second).toMatchObject({ method: 'actual', registers: { total: 0 }, estimatedPeriods: 0 });
    expect(second?.lines[0]).not.toHaveProperty('previous');
  });

  // Seoul reads water meters every two months and keeps estimating on the average however long readings are missing.
  it('bills two months at a time on the average per month, for as long as the policy is "average"', () => {
    const seoul = loadUtilityConfig('seoul-water');
    const results = billingCycle(
      { estimation: seoul.estimation, meter: { ...SINGLE, digits: 5 }, months: 2, firstWindow: '2026-02' },
      [
        { total: 300 },
        { total: 340 }, // 40 in two months
        { total: 396 }, // 56 in two months: 96 over 4 months = 24 a month
        undefined, // 24 x 2 = 48
        undefined,
        undefined,
        undefined, // the fourth estimate in a row: still the average
        { total: 600 }, // 600 - 588 printed = 12
      ],
    );
    expect(table(results).slice(3)).toEqual([
      ['average', 48, '444 est', 0],
      ['average', 48, '492 est', 0],
      ['average', 48, '540 est', 0],
      ['average', 48, '588 est', 0],
      ['reconciled', 12, '600', 0],
    ]);
  });

  // Seoul bills a shared meter of three households every two months: the normative is per household and month.
  it('multiplies the normative by households and months', () => {
    const seoul = loadUtilityConfig('seoul-water');
    const [first] = billingCycle(
      { estimation: seoul.estimation, meter: { ...SINGLE, digits: 5 }, households: 3, months: 2 },
      [undefined],
    );
    expect(first?.registers).toEqual({ total: 72 }); // 12 m3 x 3 households x 2 months
  });

  // A utility that estimates only on the average, with no normative configured, cannot bill an unread new meter.
  it('refuses to guess when the policy is "average", there is no history and no normative', () => {
    const estimation: EstimationConfig = { ...quoted, policy: 'average', normative: {} };
    expect(() => billingCycle({ estimation, meter: SINGLE }, [undefined])).toThrow(NoEstimateError);
  });

  // A utility that never averages: every missing reading is billed on the normative.
  it('takes the normative at once under the policy "normative"', () => {
    const estimation: EstimationConfig = { ...quoted, policy: 'normative' };
    const results = billingCycle({ estimation, meter: SINGLE }, [{ total: 0 }, { total: 500 }, undefined]);
    expect(table(results).at(-1)).toEqual(['normative', 180, '680 est', 0]);
  });

  // A five-digit water meter goes from 99950 past 99999 to 00030, and an estimate is printed past 99999.
  it('counts across a meter’s rollover, and takes back an estimate printed past it that the meter never reached', () => {
    const meter = { ...SINGLE, digits: 5 };
    const rolled = billingCycle({ estimation: quoted, meter }, [
      { total: 99800 },
      { total: 99880 }, // 80
      { total: 99950 }, // 70
      { total: 30 }, // 100000 - 99950 + 30 = 80
      undefined, // average (80 + 70 + 80) / 3 = 76.67, rounded to 77: printed 30 + 77 = 107
    ]);
    expect(table(rolled).slice(3)).toEqual([
      ['actual', 80, '30', 0],
      ['average', 77, '107 est', 0],
    ]);
    const overEstimated = billingCycle({ estimation: quoted, meter }, [
      { total: 99800 },
      { total: 99880 }, // 80
      { total: 99960 }, // 80
      undefined, // 80: printed 99960 + 80 - 100000 = 40
      { total: 99990 }, // the meter had not rolled over: 99990 - 100040 = -50, owed back
    ]);
    expect(table(overEstimated).slice(3)).toEqual([
      ['average', 80, '40 est', 0],
      ['reconciled', 0, '99990', 50],
    ]);
  });

  // A bill made before readings were printed on bills (an import) still gives its measured usage to the average.
  it('averages imported bills without readings on their usage, and skips estimates no reading has settled', () => {
    const imported = (period: string, volume: number, estimated: boolean) =>
      aBill({
        period,
        usagePeriod: { from: `${addMonths(period, -2)}-26`, to: `${addMonths(period, -1)}-26` },
        usage: { volume, unit: 'kWh', registers: { total: volume }, estimated },
      });
    const [usage] = billingCycle(
      {
        estimation: quoted,
        meter: SINGLE,
        firstWindow: '2026-05',
        history: [
          imported('2026-05', 999, true),
          imported('2026-04', 130, false),
          imported('2026-03', 110, false),
        ],
      },
      [undefined],
    );
    // (130 + 110) / 2 = 120; the estimated 999 is no measurement. Nothing printed: no reading to count from.
    expect(usage).toEqual({ lines: [], registers: { total: 120 }, method: 'average', estimatedPeriods: 2 });
  });

  it('names a register the reading lacks', () => {
    expect(() => billingCycle({ estimation: quoted, meter: TWO_TARIFF }, [{ day: 10 }])).toThrow(
      /meter M-2 has no "night" value/,
    );
  });
});
