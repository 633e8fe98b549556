// The charge lines of one tariff component: its volume shared out over its rates by days, per household, rounded.
import { localize, type TariffComponent, type UtilityConfig } from '#config/schema';
import { fromDate } from '#config/tariffs';
import type { ChargeLine } from './bill.ts';
import { AppError } from './errors.ts';
import {
  add,
  compare,
  div,
  type Fraction,
  fraction,
  max,
  min,
  mul,
  roundTo,
  sub,
  toDisplay,
  ZERO,
} from './fraction.ts';
import { currencyExponent } from './money.ts';
import { stepSpans } from './tariff-days.ts';

/** A usage the configuration cannot price; the billing run reports the account as failed with this reason. */
export class PricingError extends AppError {
  constructor(type: string, message: string) {
    super('unprocessable', type, message);
    this.name = 'PricingError';
  }
}

/** What every line of one usage is priced with. */
export interface PricingContext {
  config: UtilityConfig;
  usagePeriod: { from: string; to: string };
  totalDays: number;
  households: number;
  language: string;
}

/** Major units of the configuration (6.84 RUB) as exact minor units (684 kopecks). */
// A handful of configured rates and amounts, converted once each.
const minorUnits = new Map<string, Fraction>();

export function minorOf(major: number, currency: string): Fraction {
  const key = `${major} ${currency}`;
  let minor = minorUnits.get(key);
  if (!minor) {
    minor = mul(fraction(major), fraction(10 ** currencyExponent(currency)));
    minorUnits.set(key, minor);
  }
  return minor;
}

/** Rounds an amount in minor units as the utility's configuration says. */
export function rounded(context: Pick<PricingContext, 'config'>, amount: Fraction): number {
  const { step, mode } = context.config.billing.rounding;
  return roundTo(max(amount, ZERO), step, mode);
}

/** The volume a component reads: its register, or the sum of all registers. */
export function componentVolume(component: TariffComponent, registers: Record<string, number>): Fraction {
  if (component.register === undefined) {
    return Object.values(registers).reduce((sum, v) => add(sum, fraction(v)), ZERO);
  }
  const volume = registers[component.register];
  if (volume === undefined) {
    throw new PricingError('register-missing', `no volume for register "${component.register}"`);
  }
  return fraction(volume);
}

/**
 * One component's lines for a volume over the usage period: the volume is shared out over the rates in force by
 * days, then per household; each line's household amount is rounded once and multiplied by the households. Tiers
 * are bands per household per month, so over a part of the period they are scaled by its share of the months.
 */
export function priceComponent(
  context: PricingContext,
  component: TariffComponent,
  volume: Fraction,
): ChargeLine[] {
  const { config, usagePeriod, totalDays } = context;
  const households = fraction(context.households);
  const { spans, daysBeforeFirst } = stepSpans(component.rates, usagePeriod);
  if (daysBeforeFirst > 0) {
    throw new PricingError(
      'tariff-not-in-force',
      `"${component.code}" has no rate before ${fromDate(component.rates[0]?.from ?? '')}; the usage starts ${usagePeriod.from}`,
    );
  }
  const label = localize(config, component.label, context.language);
  const line = (perHousehold: Fraction, rate: number): ChargeLine => ({
    code: component.code,
    label,
    volume: toDisplay(mul(perHousehold, households)),
    rate,
    amount: rounded(context, mul(perHousehold, minorOf(rate, config.currency))) * context.households,
  });
  const lines: ChargeLine[] = [];
  for (const span of spans) {
    const step = component.rates[span.index];
    if (!step) continue;
    const share = fraction(span.days, totalDays);
    const perHousehold = div(mul(volume, share), households);
    if (step.rate !== undefined) {
      lines.push(line(perHousehold, step.rate));
      continue;
    }
    const scale = mul(fraction(config.billing.intervalMonths), share);
    const tiers = step.tiers ?? [];
    tiers.forEach((tier, k) => {
      const low = mul(fraction(tier.min), scale);
      const high = tier.max === undefined ? undefined : mul(fraction(tier.max), scale);
      const above = max(sub(perHousehold, low), ZERO);
      const inBand = high === undefined ? above : min(above, sub(high, low));
      if (compare(inBand, ZERO) > 0 || (k === 0 && compare(perHousehold, ZERO) === 0)) {
        lines.push(line(inBand, tier.rate));
      }
    });
  }
  return lines;
}
