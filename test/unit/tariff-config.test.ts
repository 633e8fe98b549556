// A tariff configuration that cannot price every bill fails at load, naming the field.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { ConfigError, parseUtilityConfig } from '#config/schema';

type Raw = Record<string, unknown> & {
  tariffs: Array<Record<string, unknown> & { rates: Array<Record<string, unknown>> }>;
  reductions: Array<Record<string, unknown> & { rules?: Array<Record<string, unknown>> }>;
  meterKinds: Array<Record<string, unknown>>;
};

const raw = (utility: string) => structuredClone(loadUtilityConfig(utility)) as unknown as Raw;

function problemOf(config: unknown): string {
  try {
    parseUtilityConfig(config, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

/** Seoul with its sewage bands (tariffs.1.rates.0) replaced. */
function seoulWithSewageTiers(tiers: unknown[]): Raw {
  const config = raw('seoul-water');
  const sewage = config.tariffs[1];
  if (!sewage?.rates[0]) throw new Error('no sewage tiers');
  sewage.rates[0] = { from: '2021-01-01', tiers };
  return config;
}

describe('tariff configuration errors', () => {
  it('a gap between two tiers', () => {
    const config = seoulWithSewageTiers([
      { min: 0, max: 30, rate: 400 },
      { min: 35, max: 50, rate: 930 },
      { min: 50, rate: 1420 },
    ]);
    expect(problemOf(config)).toMatch(
      /tariffs\.1\.rates\.0\.tiers\.1\.min: gap: tier starts at 35 but the one before ends at 30/,
    );
  });

  it('overlapping tiers', () => {
    const config = seoulWithSewageTiers([
      { min: 0, max: 30, rate: 400 },
      { min: 25, max: 50, rate: 930 },
      { min: 50, rate: 1420 },
    ]);
    expect(problemOf(config)).toMatch(/tariffs\.1\.rates\.0\.tiers\.1\.min: overlap: tier starts at 25/);
  });

  it('tiers that do not start at 0, end, or stay open before the last', () => {
    expect(problemOf(seoulWithSewageTiers([{ min: 5, rate: 400 }]))).toMatch(
      /tariffs\.1\.rates\.0\.tiers\.0\.min: the first tier must start at 0/,
    );
    expect(problemOf(seoulWithSewageTiers([{ min: 0, max: 30, rate: 400 }]))).toMatch(
      /tariffs\.1\.rates\.0\.tiers\.0\.max: the last tier must be open \(no max\), or volumes above 30 have no rate/,
    );
    const openMiddle = seoulWithSewageTiers([
      { min: 0, rate: 400 },
      { min: 30, rate: 930 },
    ]);
    expect(problemOf(openMiddle)).toMatch(
      /tariffs\.1\.rates\.0\.tiers\.0\.max: only the last tier may be open/,
    );
  });

  it('a step with both a rate and tiers, or neither', () => {
    const config = raw('seoul-water');
    const water = config.tariffs[0];
    if (!water) throw new Error('no water');
    water.rates[0] = { from: '2021-01-01', rate: 390, tiers: [{ min: 0, rate: 390 }] };
    water.rates[1] = { from: '2022-01-01' };
    const message = problemOf(config);
    expect(message).toMatch(/tariffs\.0\.rates\.0: give either "rate" or "tiers"/);
    expect(message).toMatch(/tariffs\.0\.rates\.1: give either "rate" or "tiers"/);
  });

  it('duplicate or unordered "from" dates, a month and its first day being the same date', () => {
    const config = raw('tyumen-power');
    const [energy, day] = config.tariffs;
    if (!energy || !day) throw new Error('no energy tariffs');
    energy.rates = [
      { from: '2025-07', rate: 5.66 },
      { from: '2025-07-01', rate: 6.37 },
    ];
    day.rates = [
      { from: '2026-07-01', rate: 6.84 },
      { from: '2025-07-01', rate: 6.08 },
    ];
    const message = problemOf(config);
    expect(message).toMatch(/tariffs\.0\.rates\.1\.from: duplicate "from" 2025-07-01/);
    expect(message).toMatch(/tariffs\.1\.rates\.1\.from: rates must be in ascending order of "from"/);
  });

  it('a date that is no date', () => {
    const config = raw('tyumen-power');
    const energy = config.tariffs[0];
    if (!energy?.rates[1]) throw new Error('no energy tariff');
    energy.rates[1].from = '2026-02-30';
    expect(problemOf(config)).toMatch(
      /tariffs\.0\.rates\.1\.from: a local date as YYYY-MM-DD \(or a month as YYYY-MM\)/,
    );
  });

  it('a reduction naming an unknown component', () => {
    const config = raw('seoul-water');
    const multiChild = config.reductions[1];
    const vulnerable = config.reductions[0];
    if (!multiChild?.rules?.[0] || !vulnerable?.rules?.[0]) throw new Error('no reduction rules');
    multiChild.rules[0].component = 'sewer';
    vulnerable.rules[0].components = ['water', 'levy'];
    const message = problemOf(config);
    expect(message).toMatch(
      /reductions\.1\.rules\.0\.component: "sewer" is no tariff component \(water, sewage, water-use-levy\)/,
    );
    expect(message).toMatch(/reductions\.0\.rules\.0\.components\.1: "levy" is no tariff component/);
  });

  it('an e-billing minimum above its maximum', () => {
    const config = raw('seoul-water');
    const eBilling = config.reductions[3];
    if (!eBilling?.rules?.[0]) throw new Error('no e-billing rule');
    eBilling.rules[0].min = 2000;
    expect(problemOf(config)).toMatch(/reductions\.3\.rules\.0\.min: min is more than max/);
  });

  it('a register, or a meter kind, no meter of the utility has', () => {
    const config = raw('tyumen-power');
    const [energy, day] = config.tariffs;
    if (!energy || !day) throw new Error('no energy tariffs');
    energy.appliesTo = ['three-tariff'];
    day.appliesTo = ['single'];
    const message = problemOf(config);
    expect(message).toMatch(/tariffs\.0\.appliesTo\.0: "three-tariff" is no meter kind of this utility/);
    expect(message).toMatch(/tariffs\.1\.appliesTo\.0: "single" meters have no "day" register/);
    // With energy moved away from single meters, nothing prices them.
    expect(message).toMatch(/meterKinds\.0: no tariff component prices single meters/);
  });

  it('two components with one code', () => {
    const config = raw('seoul-water');
    const levy = config.tariffs[2];
    if (!levy) throw new Error('no levy');
    levy.code = 'water';
    expect(problemOf(config)).toMatch(/tariffs\.2\.code: duplicate "water"/);
  });
});
