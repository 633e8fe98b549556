// The payment rules: a payment lands on its bill, pays it once the payments cover the amount due, and is refused
// for a period not yet begun, a time in the future, or more than is owed beyond the tolerance.
import { describe, expect, it } from 'vitest';
import {
  applyPayment,
  outstanding,
  type PaymentInput,
  type PaymentRules,
  paymentInputSchema,
  samePayment,
} from '#domain/payment';
import { aBill } from '../support/builders.ts';

// 14:00 on 10 December 2026 in Seoul.
const rules: PaymentRules = {
  now: new Date('2026-12-10T05:00:00Z'),
  today: '2026-12-10',
  overpaymentTolerance: 0,
};

const giro = (over: Partial<PaymentInput> = {}): PaymentInput => ({
  accountNumber: '123456789',
  period: '2026-11',
  amount: 24_600,
  paidAt: '2026-12-09T10:15:00+09:00',
  method: 'giro',
  reference: 'GIRO-20261209-0001',
  ...over,
});

describe('a payment on its bill', () => {
  it('pays a bill of 24,600 KRW paid in full, and lists the payment with its reference', () => {
    const applied = applyPayment(aBill({ amountDue: 24_600 }), giro(), rules);

    expect(applied.ok && applied.bill.status).toBe('paid');
    expect(applied.ok && applied.bill.payments).toEqual([
      {
        paidAt: '2026-12-09T10:15:00+09:00',
        amount: 24_600,
        method: 'giro',
        reference: 'GIRO-20261209-0001',
      },
    ]);
  });

  // A resident pays 10,000 of 24,600 KRW at the bank: the bill stays unpaid and 14,600 is still owed (the next
  // bill carries it as arrears).
  it('leaves a partly paid bill unpaid with the rest outstanding', () => {
    const applied = applyPayment(aBill({ amountDue: 24_600 }), giro({ amount: 10_000 }), rules);

    expect(applied.ok && applied.bill.status).toBe('unpaid');
    expect(applied.ok && outstanding(applied.bill)).toBe(24_600 - 10_000);
  });

  it('keeps an overdue bill overdue after a part payment, and pays it with the rest', () => {
    const overdue = aBill({ amountDue: 24_600, status: 'overdue' });
    const first = applyPayment(overdue, giro({ amount: 20_000, reference: 'A-1' }), rules);
    if (!first.ok) throw new Error(first.refusal.message);
    expect(first.bill.status).toBe('overdue');

    const second = applyPayment(first.bill, giro({ amount: 4_600, reference: 'A-2' }), rules);

    expect(second.ok && second.bill.status).toBe('paid');
    expect(second.ok && outstanding(second.bill)).toBe(0);
  });

  it('refuses a payment of more than is owed: 24,601 KRW on a bill of 24,600 with no tolerance', () => {
    const applied = applyPayment(aBill({ amountDue: 24_600 }), giro({ amount: 24_601 }), rules);

    expect(applied).toMatchObject({ ok: false, refusal: { code: 'overpayment', outstanding: 24_600 } });
  });

  it('takes an overpayment within the tolerance (Tyumen: up to 1 RUB = 100 kopecks) and pays the bill', () => {
    const bill = aBill({ currency: 'RUB', amountDue: 123_456 });
    const within = applyPayment(bill, giro({ amount: 123_456 + 100 }), {
      ...rules,
      overpaymentTolerance: 100,
    });
    const beyond = applyPayment(bill, giro({ amount: 123_456 + 101 }), {
      ...rules,
      overpaymentTolerance: 100,
    });

    expect(within.ok && within.bill.status).toBe('paid');
    expect(beyond.ok).toBe(false);
  });

  it('refuses a second payment on a bill already paid in full', () => {
    const paid = aBill({
      amountDue: 24_600,
      status: 'paid',
      payments: [{ paidAt: '2026-12-01T09:00:00+09:00', amount: 24_600, method: 'auto-pay' }],
    });

    expect(applyPayment(paid, giro({ amount: 1 }), rules)).toMatchObject({
      ok: false,
      refusal: { code: 'overpayment', outstanding: 0 },
    });
  });

  it('refuses a payment for a period that has not begun in the utility zone (2027-01 on 10 December)', () => {
    expect(applyPayment(aBill({ period: '2027-01' }), giro({ period: '2027-01' }), rules)).toMatchObject({
      ok: false,
      refusal: { code: 'period-in-future' },
    });
  });

  it('refuses a payment made after now', () => {
    expect(applyPayment(aBill(), giro({ paidAt: '2026-12-10T15:00:00+09:00' }), rules)).toMatchObject({
      ok: false,
      refusal: { code: 'paid-in-future' },
    });
  });
});

describe('a payment as reported', () => {
  it('is a positive whole number of minor units with a reference', () => {
    expect(paymentInputSchema.safeParse(giro()).success).toBe(true);
    expect(paymentInputSchema.safeParse(giro({ amount: 0 })).success).toBe(false);
    expect(paymentInputSchema.safeParse(giro({ amount: -500 })).success).toBe(false);
    expect(paymentInputSchema.safeParse(giro({ amount: 12.5 })).success).toBe(false);
    expect(paymentInputSchema.safeParse(giro({ reference: 'has space' })).success).toBe(false);
  });

  it('is the same payment again when account, period and amount match; the method or time may be restated', () => {
    expect(samePayment(giro(), giro({ paidAt: '2026-12-09T10:16:00+09:00', method: 'cash' }))).toBe(true);
    expect(samePayment(giro(), giro({ amount: 24_500 }))).toBe(false);
    expect(samePayment(giro(), giro({ accountNumber: '987654321' }))).toBe(false);
  });
});
