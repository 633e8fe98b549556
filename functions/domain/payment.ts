// Payments: what one payment is, and how it lands on its bill (paid once covered, the rest owed as arrears).
import { z } from 'zod';
import { amountPaid, type Bill, paymentSchema } from './bill.ts';
import { formatMajor } from './import-cells.ts';
import { PERIOD_PATTERN } from './period.ts';

/** The bank's or payment system's reference: printable, no separators that would break a CSV or a key. */
export const PAYMENT_REFERENCE_PATTERN = /^[\x21-\x7e]{1,100}$/;

/** One payment as a bank file or a clerk reports it: for one bill (account and period), once per reference. */
export const paymentInputSchema = z.strictObject({
  accountNumber: z.string().min(1).max(32),
  period: z.string().regex(PERIOD_PATTERN, 'a month as YYYY-MM'),
  /** Minor units (won, kopecks). */
  amount: z.number().int('a whole number of minor units').positive('more than 0'),
  paidAt: z.iso.datetime({ offset: true, message: 'a date and time with an offset' }),
  method: paymentSchema.shape.method,
  reference: z.string().regex(PAYMENT_REFERENCE_PATTERN, '1 to 100 visible ASCII characters (no spaces)'),
});
export type PaymentInput = z.infer<typeof paymentInputSchema>;

/** Why a payment cannot land on its bill, each named so a rejects file and problem+json can say it. */
export type PaymentRefusal =
  | { code: 'period-in-future'; message: string }
  | { code: 'paid-in-future'; message: string }
  | { code: 'overpayment'; message: string; outstanding: number };

export interface PaymentRules {
  /** The utility's local date today. */
  today: string;
  /** Now, as an instant: a payment cannot have been made after it. */
  now: Date;
  /** How far (minor units) the payments may exceed the amount due; beyond it the payment is refused. */
  overpaymentTolerance: number;
}

/** What is still owed on a bill: the amount due less what was paid (never below 0). */
export function outstanding(bill: Pick<Bill, 'amountDue' | 'payments'>): number {
  return Math.max(0, bill.amountDue - amountPaid(bill));
}

/** Checks that need no bill: a payment for a period that has not begun, or made after now, is a mistake. */
export function refusalBeforeBill(payment: PaymentInput, rules: PaymentRules): PaymentRefusal | undefined {
  const currentPeriod = rules.today.slice(0, 7);
  if (payment.period > currentPeriod) {
    return {
      code: 'period-in-future',
      message: `period ${payment.period} has not begun (it is ${currentPeriod}); no bill can be paid for it yet`,
    };
  }
  // A minute of slack for clocks of other systems that run a little ahead.
  if (new Date(payment.paidAt).getTime() > rules.now.getTime() + 60_000) {
    return { code: 'paid-in-future', message: `paidAt ${payment.paidAt} is in the future` };
  }
  return undefined;
}

/**
 * The bill after the payment: appended to its payments, and `paid` once they cover the amount due (an overdue or
 * unpaid bill otherwise keeps its status; the rest is what the next bill carries as arrears). A payment that would
 * take the payments beyond the amount due by more than the tolerance is refused: a wrong amount or a wrong bill is
 * far likelier than a resident paying ahead, and a refused row can be corrected, a recorded one cannot.
 */
export function applyPayment(
  bill: Bill,
  payment: PaymentInput,
  rules: PaymentRules,
): { ok: true; bill: Bill } | { ok: false; refusal: PaymentRefusal } {
  const before = refusalBeforeBill(payment, rules);
  if (before) return { ok: false, refusal: before };
  const owed = outstanding(bill);
  const paidAfter = amountPaid(bill) + payment.amount;
  if (paidAfter > bill.amountDue + rules.overpaymentTolerance) {
    return {
      ok: false,
      refusal: {
        code: 'overpayment',
        message: `${formatMajor(payment.amount, bill.currency)} ${bill.currency} is more than the ${formatMajor(owed, bill.currency)} ${bill.currency} still owed on the bill of ${bill.period}`,
        outstanding: owed,
      },
    };
  }
  const payments = [
    ...bill.payments,
    { paidAt: payment.paidAt, amount: payment.amount, method: payment.method, reference: payment.reference },
  ];
  const status = paidAfter >= bill.amountDue ? 'paid' : bill.status;
  return { ok: true, bill: { ...bill, payments, status } };
}

/** Whether a payment recorded under a reference is the one now reported under it (a repeat, not a conflict). */
export function samePayment(
  recorded: Pick<PaymentInput, 'accountNumber' | 'period' | 'amount'>,
  reported: Pick<PaymentInput, 'accountNumber' | 'period' | 'amount'>,
): boolean {
  return (
    recorded.accountNumber === reported.accountNumber &&
    recorded.period === reported.period &&
    recorded.amount === reported.amount
  );
}
