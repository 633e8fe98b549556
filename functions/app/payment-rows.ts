// Import rows: one row of a payments file (a bank's or payment system's report) as a payment, or every reason not.
// In app/ beside bill-rows.ts for the same reason: it shares account-rows.ts's account_number check.
import { z } from 'zod';
import type { UtilityConfig } from '#config/schema';
import { paymentSchema } from '#domain/bill';
import {
  amountField,
  choiceField,
  field,
  type ImportRecord,
  Problems,
  schemaProblems,
} from '#domain/import-cells';
import { PAYMENT_REFERENCE_PATTERN, type PaymentInput, paymentInputSchema } from '#domain/payment';
import { isPeriod } from '#domain/period';
import { checkAccountNumberField } from './account-rows.ts';

const PAYMENT_COLUMN_OF_FIELD: Record<string, string> = {
  accountNumber: 'account_number',
  period: 'period',
  amount: 'amount',
  paidAt: 'paid_at',
  method: 'method',
  reference: 'reference',
};

const instantWithOffset = z.iso.datetime({ offset: true });

/** One row of a payments file as a payment of this utility (amounts in major units as printed), or why not. */
export function paymentFromRow(
  record: ImportRecord,
  config: UtilityConfig,
): { ok: true; payment: PaymentInput } | { ok: false; reason: string } {
  const problems = new Problems();
  const accountNumber = checkAccountNumberField(record, config, problems);
  const period = field(record, 'period');
  if (period === '') problems.add('period', 'is required (YYYY-MM)');
  else if (!isPeriod(period)) problems.add('period', `"${period}" is not a month written YYYY-MM`);
  const amount = amountField(record, 'amount', config.currency, problems, { required: true });
  if (amount === 0) problems.add('amount', 'must be more than 0');
  const paidAt = field(record, 'paid_at');
  if (paidAt === '') problems.add('paid_at', 'is required (e.g. 2026-03-31T14:05:00+09:00)');
  else if (!instantWithOffset.safeParse(paidAt).success) {
    problems.add(
      'paid_at',
      `"${paidAt}" is not a date and time with an offset (e.g. 2026-03-31T14:05:00+09:00)`,
    );
  }
  const method = choiceField(record, 'method', paymentSchema.shape.method.options, problems);
  const reference = field(record, 'reference');
  if (reference === '') problems.add('reference', "is required (the bank's reference of the payment)");
  else if (!PAYMENT_REFERENCE_PATTERN.test(reference)) {
    problems.add('reference', `"${reference}" is not 1 to 100 visible ASCII characters without spaces`);
  }
  if (problems.any) return { ok: false, reason: problems.reason };
  const parsed = paymentInputSchema.safeParse({ accountNumber, period, amount, paidAt, method, reference });
  if (!parsed.success) {
    schemaProblems(parsed.error, PAYMENT_COLUMN_OF_FIELD, problems);
    return { ok: false, reason: problems.reason };
  }
  return { ok: true, payment: parsed.data };
}
