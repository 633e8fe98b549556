// Composing one account's bill for a period: usage per meter, charges, reductions, arrears, late fee, due date.
import type { UtilityConfig } from '#config/schema';
import type { Account } from './account.ts';
import { amountPaid, type Bill, type BillMeterReading, expectedAmountDue, type UsageMethod } from './bill.ts';
import type { BillingFailureReason } from './billing-run.ts';
import { dueDateOf } from './calendar.ts';
import { type MeterUsage, meterUsage, NoEstimateError, ReadingRegistersError } from './estimate.ts';
import { addMonths, type Period } from './period.ts';
import { averageMonthlyUsage } from './reading.ts';
import { computeCharges } from './tariff.ts';

/** The counting reading of a meter in the window the bill uses. */
export interface WindowReading {
  values: Record<string, number>;
  /** Local date it was taken. */
  date: string;
  source: string;
}

export interface BillInput {
  account: Account;
  period: Period;
  /** The local date of the billing run: the bill's issue date, and the date of an estimated reading. */
  billDate: string;
  /** The account's earlier bills, newest first. */
  history: Bill[];
  /** Each meter's counting reading of the window, by meter id. */
  readings: ReadonlyMap<string, WindowReading>;
  /** The billing run's start that makes the bill. */
  runStart: number;
}

export type ComposedBill =
  | { ok: true; bill: Bill; leak: boolean; method: UsageMethod }
  | { ok: false; reason: BillingFailureReason; detail: string };

/**
 * The earlier periods whose bills the composition reads, newest first: enough for the average and the estimated
 * periods before it, one billing interval apart.
 */
export function historyPeriods(config: UtilityConfig, period: Period): Period[] {
  const { averageMonths, maxEstimatedPeriods } = config.estimation;
  const interval = config.billing.intervalMonths;
  const depth = Math.ceil(averageMonths / interval) + maxEstimatedPeriods;
  return Array.from({ length: depth }, (_, k) => addMonths(period, -interval * (k + 1)));
}

/** The window whose readings a period's bill uses: the month before it (see billingPeriodOfWindow). */
export function windowOfBill(period: Period): Period {
  return addMonths(period, -1);
}

/**
 * One account's bill: each meter's usage from its reading of the window or an estimate, priced with the tariffs in
 * force, the unpaid rest of the previous bill carried as arrears with its late fee, due by the configured rule.
 */
export function composeBill(config: UtilityConfig, input: BillInput): ComposedBill {
  const { account, period, billDate, history } = input;
  const language = config.locale.slice(0, 2);
  if (account.meters.length === 0)
    return { ok: false, reason: 'no-meter', detail: 'the account has no meter' };
  const previous = history[0];
  const lines: BillMeterReading[] = [];
  const registers: Record<string, number> = {};
  const creditCarried: Record<string, number> = {};
  const methods: UsageMethod[] = [];
  let unit: Bill['usage']['unit'] | undefined;
  for (const meter of account.meters) {
    const kind = config.meterKinds.find((k) => k.kind === meter.kind);
    if (!kind) {
      return {
        ok: false,
        reason: 'unknown-meter-kind',
        detail: `meter ${meter.id} is a ${meter.kind} meter`,
      };
    }
    unit = kind.unit;
    const reading = input.readings.get(meter.id);
    let usage: MeterUsage;
    try {
      usage = meterUsage({
        estimation: config.estimation,
        meter: { id: meter.id, kind: meter.kind, registers: meter.registers, digits: kind.digits },
        households: account.households,
        months: config.billing.intervalMonths,
        billDate,
        reading: reading ? { values: reading.values, date: reading.date } : undefined,
        history,
      });
    } catch (error) {
      if (error instanceof NoEstimateError || error instanceof ReadingRegistersError) {
        return { ok: false, reason: 'no-estimate', detail: error.message };
      }
      throw error;
    }
    lines.push(...usage.lines);
    methods.push(usage.method);
    for (const [register, volume] of Object.entries(usage.registers)) {
      registers[register] = (registers[register] ?? 0) + volume;
    }
    for (const [register, volume] of Object.entries(usage.creditCarried ?? {})) {
      creditCarried[register] = (creditCarried[register] ?? 0) + volume;
    }
  }
  // The bill says the weakest rule any of its meters needed: normative, then average, then reconciled, then actual.
  const method =
    (['normative', 'average', 'reconciled', 'actual'] as const).find((m) => methods.includes(m)) ?? 'actual';
  const charges = computeCharges(config.tariffs, period, registers, config.currency, language);
  if (charges.length === 0) return { ok: false, reason: 'no-tariff', detail: `no tariff covers ${period}` };
  const volume = Object.values(registers).reduce((a, b) => a + b, 0);
  const arrears =
    previous && previous.status !== 'paid' ? Math.max(0, previous.amountDue - amountPaid(previous)) : 0;
  const lateFee = Math.floor((arrears * config.billing.lateFeePercent) / 100);
  const average = averageMonthlyUsage(history, config.estimation.averageMonths);
  const months = config.billing.intervalMonths;
  const leak =
    method !== 'average' &&
    average !== undefined &&
    average > 0 &&
    volume > config.readings.plausibilityFactor * average * months;
  const bill: Bill = {
    accountNumber: account.accountNumber,
    period,
    currency: config.currency,
    usagePeriod: { from: previous?.usagePeriod.to ?? billDate, to: billDate },
    usage: {
      volume,
      unit: unit ?? 'm3',
      registers,
      estimated: method === 'average' || method === 'normative',
      method,
      ...(Object.keys(creditCarried).length > 0 ? { creditCarried } : {}),
    },
    meterReadings: lines,
    charges,
    reductions: [],
    arrears,
    lateFee,
    amountDue: 0,
    dueDate: dueDateOf(period, config.billing.due),
    issuedAt: billDate,
    status: 'unpaid',
    payments: [],
    source: 'billing-run',
    runStart: input.runStart,
    ...(leak ? { flags: ['leak-suspected' as const] } : {}),
  };
  bill.amountDue = expectedAmountDue(bill);
  return { ok: true, bill, leak, method };
}
