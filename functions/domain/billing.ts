// Composing one account's bill for a period: usage per meter, charges, reductions, arrears, late fee, due date.
import { DateTime } from 'luxon';
import type { UtilityConfig } from '#config/schema';
import type { Account } from './account.ts';
import {
  amountPaid,
  type Bill,
  type BillMeterReading,
  type ChargeLine,
  expectedAmountDue,
  type UsageMethod,
} from './bill.ts';
import type { BillingFailureReason } from './billing-run.ts';
import { type MeterUsage, meterUsage, NoEstimateError, ReadingRegistersError } from './estimate.ts';
import { addMonths, type Period } from './period.ts';
import { averageMonthlyUsage } from './reading.ts';
import { priceUsage, type Reduction } from './tariff.ts';
import { addDays } from './tariff-days.ts';
import { dueDateOf, lateFeeOf } from './tariff-due.ts';
import { PricingError } from './tariff-lines.ts';

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
  /** Volumes per meter kind: meters of one kind are priced together (one e-billing minimum, one levy line). */
  const byKind = new Map<string, Record<string, number>>();
  let selfReadings = 0;
  let readOn: string | undefined;
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
    const ofKind = byKind.get(meter.kind) ?? {};
    for (const [register, volume] of Object.entries(usage.registers)) {
      registers[register] = (registers[register] ?? 0) + volume;
      ofKind[register] = (ofKind[register] ?? 0) + volume;
    }
    byKind.set(meter.kind, ofKind);
    if (reading && (reading.source === 'sms' || reading.source === 'web')) selfReadings++;
    if (reading && (!readOn || reading.date > readOn)) readOn = reading.date;
    for (const [register, volume] of Object.entries(usage.creditCarried ?? {})) {
      creditCarried[register] = (creditCarried[register] ?? 0) + volume;
    }
  }
  // The bill says the weakest rule any of its meters needed: normative, then average, then reconciled, then actual.
  const method =
    (['normative', 'average', 'reconciled', 'actual'] as const).find((m) => methods.includes(m)) ?? 'actual';
  const months = config.billing.intervalMonths;
  // Usage runs from the day after the previous bill's usage ended to the reading (the night before, estimated).
  const to = readOn ?? addDays(billDate, -1);
  const from = previous ? addDays(previous.usagePeriod.to, 1) : addDays(addMonthsToDate(to, -months), 1);
  const usagePeriod = { from: from <= to ? from : to, to };
  const charges: ChargeLine[] = [];
  const reductions: Reduction[] = [];
  try {
    for (const [meterKind, volumes] of byKind) {
      const priced = priceUsage(config, {
        period,
        usagePeriod,
        registers: volumes,
        meterKind,
        households: account.households,
        reductions: account.reductions ?? [],
        selfReadings,
        language,
      });
      charges.push(...priced.charges);
      reductions.push(...priced.reductions);
    }
  } catch (error) {
    if (error instanceof PricingError) return { ok: false, reason: 'pricing', detail: error.message };
    throw error;
  }
  if (charges.length === 0) return { ok: false, reason: 'no-tariff', detail: `no tariff covers ${period}` };
  const volume = Object.values(registers).reduce((a, b) => a + b, 0);
  // What the previous bill left unpaid is carried (it holds every older arrear already), with its late fee.
  const arrears =
    previous && previous.status !== 'paid' ? Math.max(0, previous.amountDue - amountPaid(previous)) : 0;
  const lateFee = previous
    ? lateFeeOf(config, { overdueAmount: arrears, dueDate: previous.dueDate, asOf: billDate })
    : 0;
  const average = averageMonthlyUsage(history, config.estimation.averageMonths);
  // Only a measured volume can suggest a leak: an estimate is the average or the normative itself.
  const leak =
    (method === 'actual' || method === 'reconciled') &&
    average !== undefined &&
    average > 0 &&
    volume > config.readings.plausibilityFactor * average * months;
  const bill: Bill = {
    accountNumber: account.accountNumber,
    period,
    currency: config.currency,
    usagePeriod,
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
    reductions,
    arrears,
    lateFee,
    amountDue: 0,
    dueDate: dueDateOf(config, period),
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

/** A local date `months` months away (the last day of a shorter month where the day does not exist). */
function addMonthsToDate(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate() as string;
}
