// Billing periods: calendar months written YYYY-MM.

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export type Period = string;

export function isPeriod(value: string): boolean {
  return PERIOD_PATTERN.test(value);
}

function parts(period: Period): [number, number] {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
  return [Number(match[1]), Number(match[2])];
}

export function addMonths(period: Period, months: number): Period {
  const [year, month] = parts(period);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** The period a local date (YYYY-MM-DD) falls in. */
export function periodOfDate(localDate: string): Period {
  return localDate.slice(0, 7);
}

/**
 * Whether an account is billed in `period` by a utility that bills every `intervalMonths` months: monthly, every
 * period; every two months, the even months for cycle 0 and the odd ones for cycle 1.
 */
export function isBillingPeriod(period: Period, intervalMonths: number, cycle = 0): boolean {
  const [year, month] = parts(period);
  return (year * 12 + month + cycle) % intervalMonths === 0;
}

/**
 * The bill a reading window feeds: the readings of the window in month M are billed in the bill of period M + 1,
 * made by the billing run after the window closes and announced on that period's notice day.
 */
export function billingPeriodOfWindow(windowPeriod: Period): Period {
  return addMonths(windowPeriod, 1);
}
