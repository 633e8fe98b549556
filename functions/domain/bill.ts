// A bill: what is charged for a period, what is reduced, what is owed, and whether it is paid.
import { z } from 'zod';
import { PERIOD_PATTERN } from './period.ts';

const localDateSchema = z.iso.date();
const minor = z.number().int();

export const billStatusSchema = z.enum(['unpaid', 'paid', 'overdue']);
export type BillStatus = z.infer<typeof billStatusSchema>;

export const chargeLineSchema = z.strictObject({
  code: z.string().min(1),
  label: z.string().min(1),
  /** Volume charged and the rate in major units per unit, where the line is volume-based. */
  volume: z.number().nonnegative().optional(),
  rate: z.number().nonnegative().optional(),
  amount: minor.nonnegative(),
});

export const reductionSchema = z.strictObject({
  code: z.string().min(1),
  label: z.string().min(1),
  amount: minor.nonnegative(),
});

export const paymentSchema = z.strictObject({
  paidAt: z.iso.datetime({ offset: true }),
  amount: minor.positive(),
  method: z.enum(['auto-pay', 'giro', 'virtual-account', 'card', 'cash']),
  /** The bank's or payment system's reference: a payment is recorded once per reference. */
  reference: z.string().min(1).max(100).optional(),
});

/** One reading of one register as a bill prints it: its value, the local date it was taken, and how it was got. */
export const billReadingSchema = z.strictObject({
  value: z.number().int().nonnegative(),
  date: localDateSchema,
  kind: z.enum(['actual', 'estimated']),
});
export type BillReading = z.infer<typeof billReadingSchema>;

/** A register's line on the bill: the previous and the current reading and the volume between them. */
export const billMeterReadingSchema = z.strictObject({
  meterId: z.string().min(1),
  register: z.string().min(1),
  /** Absent on the first bill of a meter (no earlier reading is known). */
  previous: billReadingSchema.optional(),
  current: billReadingSchema,
  /** The volume billed for this register (after a rollover, a reconciliation or a credit). */
  volume: z.number().nonnegative(),
});
export type BillMeterReading = z.infer<typeof billMeterReadingSchema>;

/** How the volume was got: read, estimated from the average or the normative, or an actual reading after estimates. */
export const usageMethodSchema = z.enum(['actual', 'average', 'normative', 'reconciled']);
export type UsageMethod = z.infer<typeof usageMethodSchema>;

/** Auto-pay's answer for a bill: withdrawn, or not (with the bank's reason). */
export const autoPayResultSchema = z.strictObject({
  status: z.enum(['withdrawn', 'not-withdrawn']),
  reason: z.string().min(1).max(200).optional(),
  at: z.iso.datetime({ offset: true }),
  reference: z.string().min(1).max(100).optional(),
});

export const billSchema = z.strictObject({
  accountNumber: z.string().min(1),
  period: z.string().regex(PERIOD_PATTERN),
  currency: z.string().length(3),
  usagePeriod: z.strictObject({ from: localDateSchema, to: localDateSchema }),
  usage: z.strictObject({
    volume: z.number().nonnegative(),
    unit: z.enum(['m3', 'kWh']),
    /** Volume per meter register (total, or day/night...). */
    registers: z.record(z.string(), z.number().nonnegative()),
    estimated: z.boolean(),
    /** Which rule gave the volume (bills made before the billing cycle existed have none). */
    method: usageMethodSchema.optional(),
    /** Volume per register owed back to the resident after a reconciliation, carried to the next bill. */
    creditCarried: z.record(z.string(), z.number().nonnegative()).optional(),
  }),
  /** Per meter and register, the previous and current readings (absent on bills imported without them). */
  meterReadings: z.array(billMeterReadingSchema).optional(),
  charges: z.array(chargeLineSchema).min(1),
  reductions: z.array(reductionSchema),
  /** Unpaid amounts of earlier bills carried onto this one. */
  arrears: minor.nonnegative(),
  lateFee: minor.nonnegative(),
  amountDue: minor,
  dueDate: localDateSchema,
  issuedAt: localDateSchema,
  status: billStatusSchema,
  payments: z.array(paymentSchema),
  /** Warnings on the bill: `leak-suspected` when usage is far above the account's average. */
  flags: z.array(z.enum(['leak-suspected'])).optional(),
  /** Where the bill came from: the billing run, an import (ops or S3 drop), or demo data. */
  source: z.enum(['billing-run', 'import', 'demo']).optional(),
  /** The start of the billing run that made it: a redelivered page recognises its own bills by it. */
  runStart: z.number().int().min(1).optional(),
  autoPay: autoPayResultSchema.optional(),
});
export type Bill = z.infer<typeof billSchema>;
export type ChargeLine = z.infer<typeof chargeLineSchema>;

const sum = (lines: Array<{ amount: number }>) => lines.reduce((total, line) => total + line.amount, 0);

/** Charges, less reductions, plus arrears and the late fee. */
export function expectedAmountDue(
  bill: Pick<Bill, 'charges' | 'reductions' | 'arrears' | 'lateFee'>,
): number {
  return sum(bill.charges) - sum(bill.reductions) + bill.arrears + bill.lateFee;
}

/** An unpaid bill whose due date has passed (in the utility's local calendar) is overdue. */
export function effectiveStatus(bill: Pick<Bill, 'status' | 'dueDate'>, today: string): BillStatus {
  if (bill.status === 'paid') return 'paid';
  return bill.dueDate < today ? 'overdue' : 'unpaid';
}

export function amountPaid(bill: Pick<Bill, 'payments'>): number {
  return sum(bill.payments);
}
