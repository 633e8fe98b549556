// The reductions of a usage: each entitled reduction's configured rules, shared out by days like the rates.
import { localize, type ReductionConfig, type TariffComponent } from '#config/schema';
import type { Bill, ChargeLine } from './bill.ts';
import { add, compare, type Fraction, fraction, max, min, mul, sub, ZERO } from './fraction.ts';
import { stepSpans } from './tariff-days.ts';
import { componentVolume, minorOf, type PricingContext, priceComponent, rounded } from './tariff-lines.ts';

type Reduction = Bill['reductions'][number];
type Rule = NonNullable<ReductionConfig['rules']>[number];

interface Usage {
  registers: Record<string, number>;
  households: number;
  reductions: string[];
  selfReadings: number;
}

const total = (lines: Array<{ amount: number }>) => fraction(lines.reduce((t, l) => t + l.amount, 0));

/**
 * What one rule takes off if it held for the whole usage period. Free volume is priced like the charges (same
 * rates, days and households), so it takes the cheapest band of a tiered component.
 */
function ruleAmount(
  context: PricingContext,
  rule: Rule,
  usage: Usage,
  components: TariffComponent[],
  charges: ChargeLine[],
  before: Fraction,
): Fraction {
  const { currency, billing } = context.config;
  switch (rule.kind) {
    case 'free-volume': {
      const cap = mul(fraction(rule.volume), fraction(usage.households * billing.intervalMonths));
      return components
        .filter((c) => rule.components.includes(c.code))
        .reduce((sum, c) => {
          const free = min(componentVolume(c, usage.registers), cap);
          return add(sum, total(priceComponent(context, c, free)));
        }, ZERO);
    }
    case 'percent-off':
      return mul(total(charges.filter((l) => l.code === rule.component)), fraction(rule.percent, 100));
    case 'percent-of-total': {
      let amount = mul(sub(total(charges), before), fraction(rule.percent, 100));
      if (rule.min !== undefined) amount = max(amount, minorOf(rule.min, currency));
      if (rule.max !== undefined) amount = min(amount, minorOf(rule.max, currency));
      return amount;
    }
    case 'per-self-reading':
      return mul(minorOf(rule.amount, currency), fraction(usage.selfReadings));
  }
}

/**
 * The reductions the account is entitled to, in configuration order: each rule in force for part of the usage
 * period counts for its share of the days; each reduction is rounded once and never takes the bill below zero.
 */
export function reductionLines(
  context: PricingContext,
  usage: Usage,
  components: TariffComponent[],
  charges: ChargeLine[],
): Reduction[] {
  const lines: Reduction[] = [];
  const chargesTotal = total(charges);
  for (const reduction of context.config.reductions) {
    if (!usage.reductions.includes(reduction.code) || !reduction.rules) continue;
    const before = total(lines);
    let amount = ZERO;
    for (const span of stepSpans(reduction.rules, context.usagePeriod).spans) {
      const rule = reduction.rules[span.index];
      if (!rule) continue;
      const share = fraction(span.days, context.totalDays);
      amount = add(amount, mul(ruleAmount(context, rule, usage, components, charges, before), share));
    }
    const remaining = sub(chargesTotal, before);
    const capped = rounded(context, compare(amount, remaining) > 0 ? remaining : amount);
    if (capped > 0) {
      lines.push({
        code: reduction.code,
        label: localize(context.config, reduction.label, context.language),
        amount: capped,
      });
    }
  }
  return lines;
}
