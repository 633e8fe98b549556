// In-memory stores behind the same ports, for property tests that run the real use cases 100,000 times
// (DynamoDB Local takes ~20 ms a call). Semantics follow the DynamoDB adapters; integration tests hold those.
import type {
  AccountStore,
  BillStore,
  InboundLog,
  OptOutEvent,
  OptOutStore,
  ReadingStore,
  SubscriptionStore,
} from '#app/ports';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import type { Reading } from '#domain/reading';

export class MemoryAccounts implements AccountStore {
  readonly items = new Map<string, Account>();
  async get(n: string) {
    return this.items.get(n);
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
    for (const a of accounts) this.items.set(a.accountNumber, structuredClone(a));
  }
}

export class MemoryBills implements BillStore {
  readonly items: Bill[] = [];
  async list(n: string, options: { limit: number }) {
    const bills = this.items
      .filter((b) => b.accountNumber === n)
      .sort((a, b) => b.period.localeCompare(a.period));
    return { bills: bills.slice(0, options.limit), hasMore: bills.length > options.limit };
  }
  async get(n: string, period: string) {
    return this.items.find((b) => b.accountNumber === n && b.period === period);
  }
  async putMany(bills: Bill[]) {
    this.items.push(...structuredClone(bills));
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
  listByAccount: async () => [],
  listByPhone: async () => [],
  listForNoticeMonth: async () => ({ items: [] }),
};
