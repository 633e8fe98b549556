// In-memory stores behind the same ports, for property tests that run the real use cases 100,000 times
// (DynamoDB Local takes ~20 ms a call). Semantics follow the DynamoDB adapters; integration tests hold those.
import { z } from 'zod';
import { cursorCodec } from '#adapters/dynamo/cursor';
import type {
  AccountStore,
  BillStore,
  InboundLog,
  OptOutEvent,
  OptOutStore,
  Page,
  PageRequest,
  ReadingStore,
  SubscriptionStore,
} from '#app/ports';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import type { Reading } from '#domain/reading';

export class MemoryAccounts implements AccountStore {
  readonly items = new Map<string, Account>();
  /** How many accounts each putMany call wrote (for tests of batching). */
  readonly batches: number[] = [];
  async get(n: string) {
    return structuredClone(this.items.get(n));
  }
  async hasPhone(n: string, phone: string) {
    return this.items.get(n)?.phones.includes(phone) ?? false;
  }
  async accountsOfPhone(phone: string) {
    return [...this.items.values()].filter((a) => a.phones.includes(phone)).map((a) => a.accountNumber);
  }
  async existing(ns: string[]) {
    return new Set(ns.filter((n) => this.items.has(n)));
  }
  async putMany(accounts: Account[]) {
    this.batches.push(accounts.length);
    for (const a of accounts) this.items.set(a.accountNumber, structuredClone(a));
  }
}

const billCursors = cursorCodec('bills', z.strictObject({ period: z.string() }));

export class MemoryBills implements BillStore {
  /** By `<account>|<period>`: one bill per account and period, as the table keys them. */
  readonly items = new Map<string, Bill>();
  async list(n: string, page: PageRequest): Promise<Page<Bill>> {
    const after = page.cursor === undefined ? undefined : billCursors.decode(page.cursor).period;
    const bills = [...this.items.values()]
      .filter((b) => b.accountNumber === n && (after === undefined || b.period < after))
      .sort((a, b) => b.period.localeCompare(a.period));
    const items = structuredClone(bills.slice(0, page.limit));
    const last = items[items.length - 1];
    return bills.length > page.limit && last
      ? { items, cursor: billCursors.encode({ period: last.period }) }
      : { items };
  }
  async get(n: string, period: string) {
    return structuredClone(this.items.get(`${n}|${period}`));
  }
  async putMany(bills: Bill[]) {
    for (const b of bills) this.items.set(`${b.accountNumber}|${b.period}`, structuredClone(b));
  }
}

export class MemoryReadings implements ReadingStore {
  readonly items: Reading[] = [];
  async add(reading: Reading, supersedes: Reading[]) {
    for (const old of supersedes) {
      const stored = this.items.find((r) => r.id === old.id);
      if (stored) stored.status = 'superseded';
    }
    this.items.push(structuredClone(reading));
  }
  private sorted(n: string) {
    return this.items
      .filter((r) => r.accountNumber === n)
      .sort((a, b) => `${b.period}#${b.submittedAt}`.localeCompare(`${a.period}#${a.submittedAt}`));
  }
  async list(n: string, page: { limit: number }) {
    return { items: this.sorted(n).slice(0, page.limit) };
  }
  async recent(n: string, meterId: string, since: string) {
    return this.sorted(n).filter((r) => r.meterId === meterId && r.period >= since);
  }
}

export class MemoryInboundLog implements InboundLog {
  readonly states = new Map<string, 'in-progress' | 'done'>();
  async claim(id: string) {
    const state = this.states.get(id);
    if (state) return state;
    this.states.set(id, 'in-progress');
    return 'new' as const;
  }
  async complete(id: string) {
    this.states.set(id, 'done');
  }
  async release(id: string) {
    this.states.delete(id);
  }
}

export class MemoryOptOuts implements OptOutStore {
  readonly events: OptOutEvent[] = [];
  readonly state = new Map<string, OptOutEvent>();
  async record(event: OptOutEvent) {
    const current = this.state.get(event.phone);
    if (current && current.at >= event.at) return false;
    this.state.set(event.phone, event);
    this.events.push(event);
    return true;
  }
  async isOptedOut(phone: string) {
    return this.state.get(phone)?.optedOut === true;
  }
}

/** No subscriptions in the fuzz: STOP/START only record the opt-out. */
export const noSubscriptions: SubscriptionStore = {
  createPending: async () => {},
  get: async () => undefined,
  activate: async () => 'conflict',
  end: async () => false,
  listByAccount: async () => ({ items: [] }),
  listByPhone: async () => [],
  listForNoticeMonth: async () => ({ items: [] }),
  scanAll: async () => ({ items: [] }),
  hasOldAccountPointer: async () => false,
  upgradeAccountPointer: async () => false,
};
