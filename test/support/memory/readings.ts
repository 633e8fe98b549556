import { listCursors } from '#adapters/dynamo/cursor';
import type {
  CountingReading,
  Page,
  PageRequest,
  ReadingContext,
  ReadingStore,
  ReadingWrite,
  ReadingWriteOptions,
} from '#app/ports';
import type { Reading } from '#domain/reading';
import type { MemoryAccounts } from './accounts.ts';
import type { MemoryBills } from './bills.ts';
import type { MemoryInboundLog } from './inbound-log.ts';
import { pageOf, sortedByKey } from './order.ts';

/** The adapter's codec: the same cursors are valid, and the same ones refused. */

/** A reading's place in its account, as the table's sort key orders it: period, then time, then id. */
const readingKey = (r: Pick<Reading, 'period' | 'submittedAt' | 'id'>) =>
  `${r.period}#${r.submittedAt}#${r.id}`;
/** One reading per account and sort key, as the table keys it. */
const itemKey = (r: Reading) => `${r.accountNumber}|${readingKey(r)}`;

interface WindowGuard {
  meterId: string;
  period: string;
  readingId: string;
  count?: number;
  /** What the guard records of its counting reading, and the shard it is listed under (absent on old guards). */
  counting?: CountingReading;
  shard?: number;
}

/** The guard as the context read returns it (the table's schema keeps these four). */
const contextWindow = ({ meterId, period, readingId, count }: WindowGuard) =>
  count === undefined ? { meterId, period, readingId } : { meterId, period, readingId, count };

export class MemoryReadings implements ReadingStore {
  /** In the order they were written (tests read the last one written). */
  readonly items: Reading[] = [];
  /** `<account>|<period>#<meter>` -> the window's guard, naming its counting reading. */
  readonly windows = new Map<string, WindowGuard>();

  constructor(
    private readonly accounts: MemoryAccounts,
    private readonly bills: MemoryBills,
    private readonly inbound: MemoryInboundLog,
  ) {}

  private newestFirst(accountNumber: string) {
    const readings = this.items.filter((r) => r.accountNumber === accountNumber);
    return sortedByKey(
      readings.map((item) => ({ key: readingKey(item), item })),
      'descending',
    );
  }

  async context(accountNumber: string): Promise<ReadingContext | undefined> {
    const account = this.accounts.items.get(accountNumber);
    if (!account) return undefined;
    const windows = sortedByKey(
      [...this.windows.entries()]
        .filter(([key]) => key.startsWith(`${accountNumber}|`))
        .map(([key, item]) => ({ key, item })),
      'descending',
    );
    return structuredClone({
      account,
      readings: this.newestFirst(accountNumber).map(({ item }) => item),
      bills: this.bills.ofAccount(accountNumber),
      windows: windows.map(({ item }) => contextWindow(item)),
    });
  }

  async add(reading: Reading, options: ReadingWriteOptions): Promise<ReadingWrite> {
    // Every check before any change, in one turn of the event loop: as atomic as the table's transaction.
    if (options.inboundMessageId && this.inbound.states.has(options.inboundMessageId)) return 'duplicate';
    const guardKey = `${reading.accountNumber}|${reading.period}#${reading.meterId}`;
    const guard = this.windows.get(guardKey);
    if ((guard?.readingId ?? null) !== options.expectedCounting) return 'conflict';
    if (guard && guard.count !== options.expectedCount) return 'conflict';
    if (this.items.some((r) => itemKey(r) === itemKey(reading))) return 'conflict';
    // A reading to supersede must be there, as the table's update is conditional on it.
    if (options.supersedes.some((old) => !this.items.some((r) => itemKey(r) === itemKey(old))))
      return 'conflict';
    this.items.push(structuredClone(reading));
    this.windows.set(guardKey, {
      meterId: reading.meterId,
      period: reading.period,
      readingId: options.counting,
      count: options.count,
      counting: {
        accountNumber: reading.accountNumber,
        meterId: reading.meterId,
        period: reading.period,
        readingId: options.counting,
        ...options.countingReading,
      },
      shard: options.shard,
    });
    for (const old of options.supersedes) {
      const stored = this.items.find((r) => itemKey(r) === itemKey(old));
      if (stored) stored.status = 'superseded';
    }
    if (options.inboundMessageId) {
      this.inbound.states.set(options.inboundMessageId, { status: 'done', claimedAt: options.now });
    }
    return 'added';
  }

  async list(accountNumber: string, page: PageRequest): Promise<Page<Reading>> {
    const result = pageOf(
      this.newestFirst(accountNumber),
      page,
      {
        ...listCursors.readings,
        keyOf: readingKey,
        positionOf: (r) => ({ period: r.period, submittedAt: r.submittedAt, id: r.id }),
      },
      'descending',
    );
    return { ...result, items: structuredClone(result.items) };
  }

  async countingFor(
    wanted: ReadonlyArray<{ accountNumber: string; meterId: string; period: string }>,
  ): Promise<CountingReading[]> {
    const keys = new Set(wanted.map((k) => `${k.accountNumber}|${k.period}#${k.meterId}`));
    return structuredClone([...keys].flatMap((key) => this.windows.get(key)?.counting ?? []));
  }

  async listCountingForPeriod(
    period: string,
    shard: number,
    page: PageRequest,
  ): Promise<Page<CountingReading>> {
    const entries = [...this.windows.values()].flatMap((guard) =>
      guard.counting && guard.period === period && guard.shard === shard
        ? [{ key: `${guard.counting.accountNumber}#${guard.meterId}`, item: guard.counting }]
        : [],
    );
    const result = pageOf(
      sortedByKey(entries, 'ascending'),
      page,
      {
        ...listCursors.periodReadings,
        keyOf: (p) => `${p.accountNumber}#${p.meterId}`,
        positionOf: (c) => ({ accountNumber: c.accountNumber, meterId: c.meterId }),
      },
      'ascending',
    );
    return { ...result, items: structuredClone(result.items) };
  }
}
