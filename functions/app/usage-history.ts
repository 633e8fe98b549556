// Use case: an account's usage over the last months, one point per bill, for a usage chart.

import type { Bill } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { formatMoney } from '#domain/money';
import { addMonths, periodOfDate } from '#domain/period';
import type { Deps } from './ports.ts';

export const USAGE_MONTHS_DEFAULT = 24;
export const USAGE_MONTHS_MAX = 36;

export interface UsagePoint {
  period: string;
  usagePeriod: Bill['usagePeriod'];
  /** The total volume, and per register (total, or day/night...). */
  volume: number;
  registers: Record<string, number>;
  unit: Bill['usage']['unit'];
  estimated: boolean;
  /** Which rule gave the volume; null on bills made before the billing cycle recorded it. */
  method: NonNullable<Bill['usage']['method']> | null;
  currency: string;
  amountDue: number;
  amountDueText: string;
}

export interface UsageHistory {
  accountNumber: string;
  months: number;
  /** The first month of the window asked for (YYYY-MM); the window ends with the newest bill. */
  from: string;
  intervalMonths: number;
  /** Oldest first; a month without a bill (every other month, where the utility bills every two) is absent. */
  items: UsagePoint[];
}

export async function usageHistory(
  deps: Pick<Deps, 'config' | 'clock' | 'bills'>,
  request: { accountNumber: string; months: number },
): Promise<UsageHistory> {
  const { config } = deps;
  const intervalMonths = config.billing.intervalMonths;
  const thisMonth = periodOfDate(localDate(deps.clock.now(), config.timeZone));
  const from = addMonths(thisMonth, 1 - request.months);
  // One bill per billing interval: the newest this many bills cover the window, and the query reads no more.
  const page = await deps.bills.list(request.accountNumber, {
    limit: Math.ceil(request.months / intervalMonths),
  });
  const items = page.items
    .filter((bill) => bill.period >= from)
    .reverse()
    .map(
      (bill): UsagePoint => ({
        period: bill.period,
        usagePeriod: bill.usagePeriod,
        volume: bill.usage.volume,
        registers: bill.usage.registers,
        unit: bill.usage.unit,
        estimated: bill.usage.estimated,
        method: bill.usage.method ?? null,
        currency: bill.currency,
        amountDue: bill.amountDue,
        amountDueText: formatMoney(bill.amountDue, bill.currency, config.locale),
      }),
    );
  return { accountNumber: request.accountNumber, months: request.months, from, intervalMonths, items };
}
