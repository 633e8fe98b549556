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
  }),
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
