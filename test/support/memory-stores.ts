// In-memory stores behind the same ports, for property tests that run the real use cases 100,000 times
// (DynamoDB Local takes ~20 ms a call). Semantics follow the DynamoDB adapters; integration tests hold those.
import { z } from 'zod';
import { cursorCodec } from '#adapters/dynamo/cursor';
import type {
  AccountStore,
  BillStore,
  Counter,
  CounterStore,
  InboundLog,
  OptOutEvent,
  OptOutStore,
  Page,
  PageRequest,
  ReadingContext,
  ReadingStore,
  ReadingWrite,
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

const readingCursors = cursorCodec(
  'readings',
  z.strictObject({ period: z.string(), submittedAt: z.string(), id: z.string() }),
);
/** The order the table keeps an account's readings in: period, then time, then id. */
const readingKey = (r: Pick<Reading, 'period' | 'submittedAt' | 'id'>) =>
  `${r.period}#${r.submittedAt}#${r.id}`;

export class MemoryReadings implements ReadingStore {
  readonly items: Reading[] = [];
  /** `<account>|<meter>|<period>` -> the counting reading's id: the window guards. */
  readonly windows = new Map<string, string>();

  constructor(
    private readonly accounts: MemoryAccounts,
    private readonly bills: MemoryBills,
    private readonly inbound: MemoryInboundLog,
  ) {}

  private newestFirst(n: string): Reading[] {
    return this.items
      .filter((r) => r.accountNumber === n)
      .sort((a, b) => readingKey(b).localeCompare(readingKey(a)));
  }

  async context(n: string): Promise<ReadingContext | undefined> {
    const account = this.accounts.items.get(n);
    if (!account) return undefined;
    return structuredClone({
      account,
      readings: this.newestFirst(n),
      bills: [...this.bills.items.values()]
        .filter((b) => b.accountNumber === n)
        .sort((a, b) => b.period.localeCompare(a.period)),
      windows: [...this.windows.entries()]
        .filter(([key]) => key.startsWith(`${n}|`))
        .map(([key, readingId]) => {
          const [, meterId = '', period = ''] = key.split('|');
          return { meterId, period, readingId };
        }),
    });
  }

  async add(
    reading: Reading,
    options: {
      supersedes: Reading[];
      expectedCounting: string | null;
      counting: string;
      inboundMessageId?: string;
      now: number;
    },
  ): Promise<ReadingWrite> {
    // All checks before any change, in one turn of the event loop: as atomic as the table's transaction.
    if (options.inboundMessageId && this.inbound.states.has(options.inboundMessageId)) return 'duplicate';
    const guard = `${reading.accountNumber}|${reading.meterId}|${reading.period}`;
    if ((this.windows.get(guard) ?? null) !== options.expectedCounting) return 'conflict';
    if (
      this.items.some(
        (r) => r.accountNumber === reading.accountNumber && readingKey(r) === readingKey(reading),
      )
    ) {
      return 'conflict';
    }
    this.items.push(structuredClone(reading));
    this.windows.set(guard, options.counting);
    for (const old of options.supersedes) {
      const stored = this.items.find((r) => r.id === old.id);
      if (stored) stored.status = 'superseded';
    }
    if (options.inboundMessageId) {
      this.inbound.states.set(options.inboundMessageId, { status: 'done', claimedAt: options.now });
    }
    return 'added';
  }

  async list(n: string, page: PageRequest): Promise<Page<Reading>> {
    const after = page.cursor === undefined ? undefined : readingKey(readingCursors.decode(page.cursor));
    const all = this.newestFirst(n).filter((r) => after === undefined || readingKey(r) < after);
    const items = structuredClone(all.slice(0, page.limit));
    const last = items[items.length - 1];
    return all.length > page.limit && last
      ? {
          items,
          cursor: readingCursors.encode({ period: last.period, submittedAt: last.submittedAt, id: last.id }),
        }
      : { items };
  }
}

/** As the table's ledger: a claim older than a minute is taken to be a dead worker's. */
const STALE_CLAIM_MS = 60_000;

export class MemoryInboundLog implements InboundLog {
  readonly states = new Map<string, { status: 'in-progress' | 'done'; claimedAt: number }>();
  async claim(id: string, now: number) {
    const state = this.states.get(id);
    if (state?.status === 'done') return 'done' as const;
    if (state && state.claimedAt >= now - STALE_CLAIM_MS) return 'in-progress' as const;
    this.states.set(id, { status: 'in-progress', claimedAt: now });
    return 'new' as const;
  }
  async markDone(id: string, now: number) {
    if (this.states.has(id)) return false;
    this.states.set(id, { status: 'done', claimedAt: now });
    return true;
  }
  async complete(id: string, now: number) {
    this.states.set(id, { status: 'done', claimedAt: now });
  }
  async release(id: string) {
    this.states.delete(id);
  }
}

export class MemoryCounters implements CounterStore {
  readonly counts = new Map<string, number>();
  private key(c: Counter) {
    return `${c.scope}|${c.id}|${c.window}`;
  }
  async increment(c: Counter, max: number) {
    const count = this.counts.get(this.key(c)) ?? 0;
    if (count >= max) return undefined;
    this.counts.set(this.key(c), count + 1);
    return count + 1;
  }
  async get(c: Counter) {
    return this.counts.get(this.key(c)) ?? 0;
  }
  async check(c: Counter, max: number) {
    return (this.counts.get(this.key(c)) ?? 0) < max;
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
