import { listCursors } from '#adapters/dynamo/cursor';
import type { BillStore, Page, PageRequest } from '#app/ports';
import type { AutoPayChange } from '#domain/auto-pay';
import type { Bill } from '#domain/bill';
import type { Period } from '#domain/period';
import { pageOf, sortedByKey } from './order.ts';

export class MemoryBills implements BillStore {
  /** By `<account>|<period>`: one bill per account and period, as the table keys them. */
  readonly items = new Map<string, Bill>();

  /** The account's bills, newest period first. */
  ofAccount(accountNumber: string): Bill[] {
    return this.sorted(accountNumber).map(({ item }) => structuredClone(item));
  }

  private sorted(accountNumber: string) {
    const bills = [...this.items.values()].filter((b) => b.accountNumber === accountNumber);
    return sortedByKey(
      bills.map((item) => ({ key: item.period, item })),
      'descending',
    );
  }

  async list(accountNumber: string, page: PageRequest): Promise<Page<Bill>> {
    const result = pageOf(
      this.sorted(accountNumber),
      page,
      { ...listCursors.bills, keyOf: (p) => p.period, positionOf: (b) => ({ period: b.period }) },
      'descending',
    );
    return { ...result, items: structuredClone(result.items) };
  }

  async get(accountNumber: string, period: Period) {
    return structuredClone(this.items.get(`${accountNumber}|${period}`));
  }

  async putMany(bills: Bill[]) {
    for (const b of bills) this.items.set(`${b.accountNumber}|${b.period}`, structuredClone(b));
  }

  async recordAutoPay(
    accountNumber: string,
    period: Period,
    change: AutoPayChange,
    expectedPayments: number,
  ) {
    const bill = this.items.get(`${accountNumber}|${period}`);
    if (!bill) return 'missing' as const;
    if (change.autoPay.reference !== undefined && bill.autoPay?.reference === change.autoPay.reference)
      return 'duplicate' as const;
    if (bill.payments.length !== expectedPayments) return 'changed' as const;
    bill.autoPay = structuredClone(change.autoPay);
    bill.status = change.status;
    if (change.payment) bill.payments.push(structuredClone(change.payment));
    return 'recorded' as const;
  }
}
