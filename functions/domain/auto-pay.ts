// Auto-pay results: what the bank answered for one bill's withdrawal, and the bill it leaves.
import { z } from 'zod';
import {
  amountPaid,
  type autoPayResultSchema,
  type Bill,
  type BillStatus,
  type paymentSchema,
} from './bill.ts';
import { AppError } from './errors.ts';
import { PERIOD_PATTERN } from './period.ts';

/** One line of the bank's result file, or one item of POST /admin/autopay-results (amounts in minor units). */
export const autoPayResultInputSchema = z
  .strictObject({
    accountNumber: z.string().min(1).max(32),
    period: z.string().regex(PERIOD_PATTERN, 'a month as YYYY-MM'),
    status: z.enum(['withdrawn', 'not-withdrawn']),
    /** The bank's reason for a withdrawal that did not go through (insufficient funds, account closed...). */
    reason: z.string().trim().min(1).max(200).optional(),
    /** What was withdrawn, in minor units; required for a withdrawal, absent otherwise. */
    amount: z.number().int().positive().optional(),
    /** When the bank tried (ISO 8601 with an offset). */
    at: z.iso.datetime({ offset: true }),
    /** The bank's reference of the attempt: a result is recorded once per reference. */
    reference: z.string().trim().min(1).max(100),
  })
  .superRefine((result, ctx) => {
    if (result.status === 'withdrawn' && result.amount === undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a withdrawal needs the amount withdrawn' });
    if (result.status === 'not-withdrawn' && result.amount !== undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'nothing is withdrawn when not withdrawn' });
  });
export type AutoPayResultInput = z.infer<typeof autoPayResultInputSchema>;

/** A result that cannot be recorded on this account or bill (422): none there, or the account pays otherwise. */
export class AutoPayResultError extends AppError {
  constructor(type: string, message: string) {
    super('unprocessable', type, message);
    this.name = 'AutoPayResultError';
  }
}

/** What one result changes on its bill: the result itself and, for a withdrawal, the payment and the status. */
export interface AutoPayChange {
  autoPay: z.infer<typeof autoPayResultSchema>;
  payment?: z.infer<typeof paymentSchema>;
  status: BillStatus;
}

/**
 * The change a result makes to the bill, or 'duplicate' when the bill already holds a result or a payment with its
 * reference (the bank's file sent again). A withdrawal is a payment by auto-pay; the bill is paid once covered.
 */
export function autoPayChange(bill: Bill, result: AutoPayResultInput): AutoPayChange | 'duplicate' {
  if (
    bill.autoPay?.reference === result.reference ||
    bill.payments.some((p) => p.reference === result.reference)
  )
    return 'duplicate';
  const autoPay = {
    status: result.status,
    at: result.at,
    reference: result.reference,
    ...(result.reason ? { reason: result.reason } : {}),
  };
  if (result.status === 'not-withdrawn' || result.amount === undefined)
    return { autoPay, status: bill.status };
  const payment = {
    paidAt: result.at,
    amount: result.amount,
    method: 'auto-pay' as const,
    reference: result.reference,
  };
  const covered = amountPaid(bill) + result.amount >= bill.amountDue;
  return { autoPay, payment, status: covered ? 'paid' : bill.status };
}
