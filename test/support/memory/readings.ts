import { listCursors } from '#adapters/dynamo/cursor';
import type {
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
}

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
      windows: windows.map(({ item }) => item),
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
}
