// BillStore.recordAutoPay's contract, checked the same way against the in-memory double and DynamoDB Local.
import { beforeEach, describe, expect, it } from 'vitest';
import { type AutoPayChange, autoPayChange } from '#domain/auto-pay';
import { aBill } from '#test/support/builders';
import { createTestTable, dynamoStores } from '#test/support/dynamo';
import { memoryStores, type Stores } from '#test/support/memory-stores';

const implementations: Array<[string, () => Promise<Stores>]> = [
  ['in memory', async () => memoryStores()],
  ['on DynamoDB', async () => dynamoStores(await createTestTable())],
];

const ACCOUNT = '123456789';
const withdrawn = (reference: string, amount = 24_600) => ({
  accountNumber: ACCOUNT,
  period: '2026-11',
  status: 'withdrawn' as const,
  amount,
  at: '2026-11-23T09:00:00+09:00',
  reference,
});

function changeOf(bill: ReturnType<typeof aBill>, result: ReturnType<typeof withdrawn>): AutoPayChange {
  const change = autoPayChange(bill, result);
  if (change === 'duplicate') throw new Error('unexpected duplicate');
  return change;
}

describe.each(implementations)('BillStore.recordAutoPay %s', (_, stores) => {
  let s: Stores;
  beforeEach(async () => {
    s = await stores();
  });

  it('records a withdrawal as a payment and the result, once per bank reference', async () => {
    const bill = aBill({ period: '2026-11' });
    await s.bills.putMany([bill]);
    const change = changeOf(bill, withdrawn('BANK-1'));

    expect(await s.bills.recordAutoPay(ACCOUNT, '2026-11', change, 0)).toBe('recorded');
    expect(await s.bills.recordAutoPay(ACCOUNT, '2026-11', change, 1)).toBe('duplicate');

    expect(await s.bills.get(ACCOUNT, '2026-11')).toMatchObject({
      status: 'paid',
      autoPay: { status: 'withdrawn', reference: 'BANK-1' },
      payments: [{ amount: 24_600, method: 'auto-pay', reference: 'BANK-1' }],
    });
  });

  it('refuses a change worked out before another payment landed, and answers missing for no bill', async () => {
    // A cash payment is recorded between reading the bill and writing the auto-pay result: the result is worked
    // out again from the bill as it is now.
    const bill = aBill({ period: '2026-11' });
    await s.bills.putMany([
      { ...bill, payments: [{ paidAt: '2026-11-20T10:00:00+09:00', amount: 1_000, method: 'cash' }] },
    ]);
    const change = changeOf(bill, withdrawn('BANK-2'));

    expect(await s.bills.recordAutoPay(ACCOUNT, '2026-11', change, 0)).toBe('changed');
    expect(await s.bills.recordAutoPay(ACCOUNT, '2026-10', change, 0)).toBe('missing');
    expect((await s.bills.get(ACCOUNT, '2026-11'))?.autoPay).toBeUndefined();
  });
});

describe('an auto-pay change', () => {
  it('leaves a partly covered bill unpaid and knows a reference it has seen as a payment', () => {
    const bill = aBill({ period: '2026-11', amountDue: 24_600 });
    expect(autoPayChange(bill, withdrawn('BANK-3', 10_000))).toMatchObject({
      status: 'unpaid',
      payment: { amount: 10_000, method: 'auto-pay' },
    });
    const paid = {
      ...bill,
      payments: [
        {
          paidAt: '2026-11-23T09:00:00+09:00',
          amount: 24_600,
          method: 'auto-pay' as const,
          reference: 'BANK-3',
        },
      ],
    };
    expect(autoPayChange(paid, withdrawn('BANK-3'))).toBe('duplicate');
  });
});
