import { listCursors } from '#adapters/dynamo/cursor';
import {
  type ActivationOptions,
  type ActivationResult,
  InvalidCursorError,
  type Page,
  type PageRequest,
  type SubscriptionStore,
} from '#app/ports';
import type { Period } from '#domain/period';
import { importedPerAccount, type Subscription } from '#domain/subscription';
import { byKeyOrder, pageOf, sortedByKey } from './order.ts';

/** The adapter's codecs: the same cursors are valid, and the same ones refused. */

interface Stored {
  subscription: Subscription;
  /** The phone it is found under: the one it was created with (the phone index is written only then); none for a decoy. */
  indexedPhone: string | undefined;
  /** Set while active: its fan-out shard, and its place there (effective month, then id). */
  notice?: { shard: string; key: string };
  /** Set while active, for a subscription with a district: its district's shard (as `<district>#<shard>`). */
  district?: string;
}

interface Pointer {
  accountNumber: string;
  createdAt: string;
  id: string;
}

const shardName = (shard: number) => String(shard).padStart(2, '0');
const slotKey = (s: Pick<Subscription, 'accountNumber' | 'phone'>) => `${s.accountNumber}|${s.phone}`;
const pointerKey = (p: Pointer) => `${p.accountNumber}|${p.createdAt}#${p.id}`;

export class MemorySubscriptions implements SubscriptionStore {
  readonly items = new Map<string, Stored>();
  /** The account's list: one entry per (account, createdAt, id), kept after the subscription ends. */
  readonly pointers = new Map<string, Pointer>();
  /** `<account>|<phone>` -> the id of the subscription active for it: the uniqueness guard. */
  readonly slots = new Map<string, string>();
  /** Active subscriptions per account (absent until the first activation): the phones-per-account guard. */
  readonly activeCounts = new Map<string, number>();

  private point(s: Subscription) {
    const pointer = { accountNumber: s.accountNumber, createdAt: s.createdAt, id: s.id };
    this.pointers.set(pointerKey(pointer), pointer);
  }

  async createPending(subscription: Subscription) {
    if (this.items.has(subscription.id)) throw new Error(`subscription ${subscription.id} exists already`);
    // A decoy is kept under its id alone: under no phone, on no account's list.
    this.items.set(subscription.id, {
      subscription: structuredClone(subscription),
      indexedPhone: subscription.decoy ? undefined : subscription.phone,
    });
    if (!subscription.decoy) this.point(subscription);
  }

  async get(id: string) {
    return structuredClone(this.items.get(id)?.subscription);
  }

  async activate(next: Subscription, options: ActivationOptions): Promise<ActivationResult> {
    if (next.status !== 'active' || !next.effectiveMonth)
      throw new Error('activate needs an active subscription');
    const stored = this.items.get(next.id);
    // The transaction's conditions, reported in its order: the subscription's state, the slot, the count.
    if (stored?.subscription.status !== options.from) return 'conflict';
    if (this.slots.has(slotKey(next))) return 'duplicate';
    const active = this.activeCounts.get(next.accountNumber);
    if (active !== undefined && active >= options.maxPhones) return 'too-many-phones';
    stored.subscription = structuredClone(next);
    stored.notice = { shard: shardName(options.shard), key: `${next.effectiveMonth}#${next.id}` };
    stored.district = next.district ? `${next.district}#${shardName(options.shard)}` : undefined;
    this.slots.set(slotKey(next), next.id);
    this.activeCounts.set(next.accountNumber, (active ?? 0) + 1);
    this.point(next);
    return 'activated';
  }

  async importActive(
    subscriptions: ReadonlyArray<{ subscription: Subscription; shard: number }>,
    maxPhones: number,
  ): Promise<void> {
    const perAccount = importedPerAccount(
      subscriptions.map((s) => s.subscription),
      maxPhones,
    );
    for (const accountNumber of perAccount.keys()) {
      if (this.activeCounts.has(accountNumber))
        throw new Error(`Account ${accountNumber} has subscriptions already`);
    }
    for (const { subscription, shard } of subscriptions) {
      this.items.set(subscription.id, {
        subscription: structuredClone(subscription),
        indexedPhone: subscription.phone,
        notice: { shard: shardName(shard), key: `${subscription.effectiveMonth}#${subscription.id}` },
        district: subscription.district ? `${subscription.district}#${shardName(shard)}` : undefined,
      });
      this.slots.set(slotKey(subscription), subscription.id);
      this.point(subscription);
    }
    for (const [accountNumber, count] of perAccount) this.activeCounts.set(accountNumber, count);
  }

  async end(next: Subscription, from: Subscription['status']) {
    const stored = this.items.get(next.id);
    if (stored?.subscription.status !== from) return false;
    if (from === 'active') {
      const active = this.activeCounts.get(next.accountNumber) ?? 0;
      // The table's transaction fails outright (neither a moved-on subscription nor a result) on these.
      if (this.slots.get(slotKey(next)) !== next.id) throw new Error(`no slot of ${next.id} to release`);
      if (active <= 0) throw new Error(`no active count to release for ${next.accountNumber}`);
      this.slots.delete(slotKey(next));
      this.activeCounts.set(next.accountNumber, active - 1);
      delete stored.notice;
      delete stored.district;
    }
    stored.subscription = structuredClone(next);
    if (from === 'pending' && !next.decoy) this.point(next);
    return true;
  }

  /** Newest first by creation (then id), paged by the pointers: a pointer whose subscription is gone is skipped. */
  async listByAccount(accountNumber: string, page: PageRequest): Promise<Page<Subscription>> {
    const pointers = sortedByKey(
      [...this.pointers.values()]
        .filter((p) => p.accountNumber === accountNumber)
        .map((item) => ({ key: `${item.createdAt}#${item.id}`, item })),
      'descending',
    );
    const result = pageOf(
      pointers,
      page,
      {
        ...listCursors.accountSubscriptions,
        keyOf: (p) => `${p.createdAt}#${p.id}`,
        positionOf: (p) => ({ createdAt: p.createdAt, id: p.id }),
      },
      'descending',
    );
    const items = result.items.flatMap((p) => {
      const stored = this.items.get(p.id);
      return stored ? [structuredClone(stored.subscription)] : [];
    });
    return { items, ...(result.cursor ? { cursor: result.cursor } : {}) };
  }

  /** Every status, in id order (as the phone index keeps them). */
  async listByPhone(phone: string) {
    return [...this.items.values()]
      .filter((s) => s.indexedPhone === phone)
      .map((s) => s.subscription)
      .sort((a, b) => byKeyOrder(a.id, b.id))
      .map((s) => structuredClone(s));
  }

  /** Active in the shard with an effective month not after `month`, oldest effective month first, then id. */
  async listForNoticeMonth(month: Period, shard: number, page: PageRequest): Promise<Page<Subscription>> {
    const upper = `${month}#\uffff`;
    const entries = [...this.items.values()].flatMap((s) =>
      s.notice?.shard === shardName(shard) && byKeyOrder(s.notice.key, upper) < 0
        ? [{ key: s.notice.key, item: s.subscription }]
        : [],
    );
    const result = pageOf(
      sortedByKey(entries, 'ascending'),
      page,
      {
        ...listCursors.noticeRecipients,
        keyOf: (p) => {
          if (p.effectiveMonth > month) throw new InvalidCursorError();
          return `${p.effectiveMonth}#${p.id}`;
        },
        positionOf: (s) => ({ effectiveMonth: String(s.effectiveMonth), id: s.id }),
      },
      'ascending',
    );
    return { ...result, items: structuredClone(result.items) };
  }

  /** Active in the district's shard, in id order (the index's sort key). */
  async listForDistrict(
    district: string,
    shard: number,
    page: PageRequest,
  ): Promise<Page<Pick<Subscription, 'id' | 'accountNumber'>>> {
    const wanted = `${district}#${shardName(shard)}`;
    const entries = [...this.items.values()].flatMap((s) =>
      s.district === wanted ? [{ key: s.subscription.id, item: s.subscription }] : [],
    );
    const result = pageOf(
      sortedByKey(entries, 'ascending'),
      page,
      { ...listCursors.districtSubscribers, keyOf: (p) => p.id, positionOf: (s) => ({ id: s.id }) },
      'ascending',
    );
    return {
      ...result,
      items: result.items.map((s) => ({ id: s.id, accountNumber: s.accountNumber })),
    };
  }

  /** Every subscription by id (a Scan has no useful order; this one is the ids' key order). */
  async scanAll(page: PageRequest): Promise<Page<Subscription>> {
    const entries = [...this.items.values()].map((s) => ({ key: s.subscription.id, item: s.subscription }));
    const result = pageOf(
      sortedByKey(entries, 'ascending'),
      page,
      { ...listCursors.allSubscriptions, keyOf: (p) => p.id, positionOf: (s) => ({ id: s.id }) },
      'ascending',
    );
    return { ...result, items: structuredClone(result.items) };
  }

  /** The memory store was never written in the old pointer form. */
  async hasOldAccountPointer() {
    return false;
  }

  async indexDistrict(subscription: Subscription, district: string, shard: number) {
    const stored = this.items.get(subscription.id);
    if (stored?.subscription.status !== 'active' || stored.subscription.district) return false;
    stored.subscription.district = district;
    stored.district = `${district}#${shardName(shard)}`;
    return true;
  }

  async upgradeAccountPointer() {
    return false;
  }
}
