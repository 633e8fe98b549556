// Tariffs: which rate applies in a period, and the charge lines for a volume per register.
import type { TariffComponent } from '#config/schema';
import type { ChargeLine } from './bill.ts';
import { toMinor } from './money.ts';
import type { Period } from './period.ts';

/** The rate in force for a billing period: the latest whose `from` is not after it. */
export function rateFor(component: TariffComponent, period: Period): number | undefined {
  let rate: number | undefined;
  for (const step of component.rates) if (step.from <= period) rate = step.rate;
  return rate;
}

/**
 * Charge lines for the volumes read on each register. A component bound to a register applies
 * only when the meter has that register; an unbound one applies to the total of all registers.
 */
export function computeCharges(
  tariffs: TariffComponent[],
  period: Period,
  registers: Record<string, number>,
  currency: string,
  language: string,
): ChargeLine[] {
  const total = Object.values(registers).reduce((a, b) => a + b, 0);
  const lines: ChargeLine[] = [];
  for (const component of tariffs) {
    const volume = component.register === undefined ? total : registers[component.register];
    const rate = rateFor(component, period);
    if (volume === undefined || rate === undefined) continue;
    lines.push({
      code: component.code,
      label: component.label[language] ?? component.code,
      volume,
      rate,
      amount: toMinor(volume * rate, currency),
    });
  }
  return lines;
}
