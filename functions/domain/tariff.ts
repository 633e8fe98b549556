// Tariffs: a usage priced by the configured components, split by days where a rate changes, less the reductions.
import type { TariffComponent, UtilityConfig } from '#config/schema';
import { componentApplies, fromDate } from '#config/tariffs';
import type { Bill, ChargeLine } from './bill.ts';
import type { Period } from './period.ts';
import { daysInclusive } from './tariff-days.ts';
import { componentVolume, type PricingContext, PricingError, priceComponent } from './tariff-lines.ts';
import { reductionLines } from './tariff-reductions.ts';

export type Reduction = Bill['reductions'][number];

/** What the billing run knows of one account's usage for one bill. */
export interface UsageToPrice {
  period: Period;
  /** Local dates, both included. */
  usagePeriod: { from: string; to: string };
  /** Volume per register of the meter (total, or day and night). */
  registers: Record<string, number>;
  meterKind: string;
  /** Households sharing the meter: each pays the charge of its share, times the households. */
  households: number;
  /** The account's entitlements: codes of configured reductions. */
  reductions: string[];
  /** Readings the resident took themselves in the period (Seoul credits each). */
  selfReadings: number;
  language: string;
}

export interface PricedUsage {
  charges: ChargeLine[];
  reductions: Reduction[];
  /** Charges less reductions, in minor units: what the usage costs before arrears and late fees. */
  total: number;
}

/** The flat rate in force on the first day of a billing period; undefined where tiered or not yet in force. */
export function rateFor(component: TariffComponent, period: Period): number | undefined {
  let rate: number | undefined;
  for (const step of component.rates) if (fromDate(step.from) <= `${period}-01`) rate = step.rate;
  return rate;
}

/**
 * The charge lines, reductions and total of a usage, in the currency's minor units. Pure: the billing run, the demo
 * data and the tests call it alike.
 */
export function priceUsage(config: UtilityConfig, input: UsageToPrice): PricedUsage {
  const { usagePeriod } = input;
  const totalDays = daysInclusive(usagePeriod.from, usagePeriod.to);
  if (!(totalDays >= 1)) {
    throw new PricingError(
      'usage-period-invalid',
      `bill ${input.period}: usage period ${usagePeriod.from}..${usagePeriod.to} is not two local dates in order`,
    );
  }
  if (!Number.isInteger(input.households) || input.households < 1) {
    throw new PricingError(
      'households-invalid',
      `households must be a whole number from 1, not ${input.households}`,
    );
  }
  const negative = Object.entries(input.registers).find(([, volume]) => !(volume >= 0));
  if (negative)
    throw new PricingError('volume-invalid', `register "${negative[0]}" has volume ${negative[1]}`);
  const kind = config.meterKinds.find((m) => m.kind === input.meterKind);
  if (!kind)
    throw new PricingError('meter-kind-unknown', `"${input.meterKind}" is no meter kind of ${config.id}`);
  const unknown = input.reductions.find((code) => !config.reductions.some((r) => r.code === code));
  if (unknown) throw new PricingError('reduction-unknown', `"${unknown}" is no reduction of ${config.id}`);
  const context: PricingContext = {
    config,
    usagePeriod,
    totalDays,
    households: input.households,
    language: input.language,
  };
  const applicable = config.tariffs.filter((c) => componentApplies(c, kind.kind, kind.registers));
  const charges = applicable.flatMap((c) => priceComponent(context, c, componentVolume(c, input.registers)));
  const reductions = reductionLines(context, input, applicable, charges);
  const sum = (lines: Array<{ amount: number }>) => lines.reduce((t, l) => t + l.amount, 0);
  return { charges, reductions, total: sum(charges) - sum(reductions) };
}
