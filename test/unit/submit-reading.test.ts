// The reading use case against the in-memory stores: which reading counts when the account's read lags behind.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import type { ReadingContext, ReadingStore } from '#app/ports';
import { submitReading } from '#app/readings';
import { loadUtilityConfig } from '#config/load';
import type { Reading } from '#domain/reading';
import { anAccount } from '#test/support/builders';
import { memoryStores } from '#test/support/memory-stores';

const ACCOUNT = '1234567834';

/**
 * The reading store, except that the next context read returns the window's guard as it is but the readings as
 * they were at an earlier read: what a read served partly from a replica that has not caught up would return.
 */
class LaggingReadings implements ReadingStore {
  private lagging: Reading[] | undefined;
  constructor(private readonly store: ReadingStore) {}

  /** The next read returns these readings instead of the current ones. */
  lagOnce(readings: Reading[]): void {
    this.lagging = readings;
  }

  async context(accountNumber: string): Promise<ReadingContext | undefined> {
    const current = await this.store.context(accountNumber);
    const readings = this.lagging;
    this.lagging = undefined;
    return current && readings ? { ...current, readings } : current;
  }

  add: ReadingStore['add'] = (reading, options) => this.store.add(reading, options);
  list: ReadingStore['list'] = (accountNumber, page) => this.store.list(accountNumber, page);
  countingFor: ReadingStore['countingFor'] = (keys) => this.store.countingFor(keys);
  listCountingForPeriod: ReadingStore['listCountingForPeriod'] = (period, shard, page) =>
    this.store.listCountingForPeriod(period, shard, page);
}

let stores: ReturnType<typeof memoryStores>;
let readings: LaggingReadings;
let clock: ManualClock;
const deps = () => ({
  config: loadUtilityConfig('tyumen-power'),
  clock,
  readings,
  metrics: new CountingMetrics(),
});
const submit = (total: number) =>
  submitReading(deps(), { accountNumber: ACCOUNT, values: [total], source: 'web' });

beforeEach(async () => {
  stores = memoryStores();
  readings = new LaggingReadings(stores.readings);
  // 10:00 on 2026-12-16 in Yekaterinburg: inside the 15th-25th window.
  clock = new ManualClock(new Date('2026-12-16T05:00:00Z'));
  await stores.accounts.putMany([
    anAccount({
      accountNumber: ACCOUNT,
      district: 'tmn-central',
      meters: [{ id: 'EM-2', kind: 'single', unit: 'kWh', registers: ['total'] }],
    }),
  ]);
});

describe('submitReading', () => {
  // A read that returned the window's guard (naming the second reading) with the readings as they were before
  // the second was stored once made the third supersede only the first: the second and third both counted.
  it('supersedes the reading the guard names, reading again when the read does not hold it', async () => {
    await submit(100);
    const beforeSecond = (await stores.readings.context(ACCOUNT))?.readings ?? [];
    clock.advance(60_000);
    await submit(110);
    clock.advance(60_000);
    readings.lagOnce(beforeSecond);
    await submit(120);
    const counting = stores.readings.items.filter((r) => r.status !== 'superseded');
    expect(counting.map((r) => r.values.total)).toEqual([120]);
    expect(stores.readings.items).toHaveLength(3);
  });

  it('counts the last sent, and keeps a late delivery superseded, by the reading the guard names', async () => {
    const sentAt = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
    const sms = (total: number, minutes: number) =>
      submitReading(deps(), {
        accountNumber: ACCOUNT,
        values: [total],
        source: 'sms',
        phone: anAccount().phones[0],
        sentAt: sentAt(minutes),
      });
    await sms(110, 10);
    const late = await sms(100, 5);
    expect(late.reading.status).toBe('superseded');
    const [guard] = (await stores.readings.context(ACCOUNT))?.windows ?? [];
    const counting = stores.readings.items.filter((r) => r.status !== 'superseded');
    expect(counting.map((r) => [r.values.total, r.id === guard?.readingId])).toEqual([[110, true]]);
  });
});
