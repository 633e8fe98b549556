// AccountStore in memory: accounts by number; a phone is registered on the accounts that list it.
import type { AccountStore, RegisteredPhone } from '#app/ports';
import type { Account } from '#domain/account';
import { byKeyOrder } from './order.ts';

export class MemoryAccounts implements AccountStore {
  readonly items = new Map<string, Account>();
  /** How many accounts each putMany call wrote (for tests of batching). */
  readonly batches: number[] = [];

  async get(accountNumber: string) {
    return structuredClone(this.items.get(accountNumber));
  }

  async hasPhone(accountNumber: string, phone: string) {
    return this.items.get(accountNumber)?.phones.includes(phone) ?? false;
  }

  /** In account-number order, as the table's phone index returns them. */
  async accountsOfPhone(phone: string) {
    return [...this.items.values()]
      .filter((a) => a.phones.includes(phone))
      .map((a) => a.accountNumber)
      .sort(byKeyOrder);
  }

  async existing(accountNumbers: string[]) {
    return new Set(accountNumbers.filter((n) => this.items.has(n)));
  }

  /** A replaced account keeps only the phones it now lists, as the table drops the others' index entries. */
  async putMany(accounts: Account[]) {
    this.batches.push(accounts.length);
    const removed: RegisteredPhone[] = [];
    for (const a of accounts) {
      for (const phone of this.items.get(a.accountNumber)?.phones ?? []) {
        if (!a.phones.includes(phone)) removed.push({ accountNumber: a.accountNumber, phone });
      }
      this.items.set(a.accountNumber, structuredClone(a));
    }
    return removed;
  }
}
