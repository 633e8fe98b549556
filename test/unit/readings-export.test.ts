// The readings export: a window's counting readings for the utility's own billing system.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { exportReadings } from '#app/readings-export';
import { importReadings } from '#app/readings-import';
import { loadUtilityConfig } from '#config/load';
import { ValidationError } from '#domain/errors';
import { fanOutShard } from '#domain/subscription';
import { anAccount } from '#test/support/builders';
import { memoryStores } from '#test/support/memory-stores';

const config = loadUtilityConfig('tyumen-power');

describe('exportReadings', () => {
  // With billing.engine external, the supplier's system bills from the window's readings: every meter's counting
  // reading, wherever its account's shard is, once, and only that window's.
  it("lists every shard's counting readings of the window once, sorted by account and meter, as the import writes them", async () => {
    const stores = memoryStores();
    const clock = new ManualClock(new Date('2026-12-26T05:00:00Z'));
    const accounts = ['1200100000', '1200100037', '1200100074', '1200100111'];
    await stores.accounts.putMany(
      accounts.map((accountNumber, i) =>
        anAccount({
          accountNumber,
          district: 'tmn-central',
          meters: [
            i === 0
              ? { id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }
              : { id: 'EM-1', kind: 'single', unit: 'kWh', registers: ['total'] },
          ],
        }),
      ),
    );
    const shards = new Set(accounts.map((a) => fanOutShard(a, config.subscriptions.fanOutShards)));
    expect(shards.size).toBeGreaterThan(1);
    const row = (account_number: string, values: string, read_at: string) => ({
      account_number,
      values,
      read_at,
    });
    await importReadings(
      { config, clock, readings: stores.readings },
      [
        row('1200100111', '700', '2026-12-18'),
        row('1200100000', 'day=1234;night=187', '2026-12-20'),
        row('1200100037', '900', '2026-11-20'),
        row('1200100037', '950', '2026-12-15'),
        row('1200100037', '960', '2026-12-22'),
      ].map((record, i) => ({ line: i + 2, record })),
    );

    const seen: number[] = [];
    const result = await exportReadings(
      { config, readings: stores.readings },
      { period: '2026-12', onShard: (p) => seen.push(p.shardsDone) },
    );

    expect(result.rows).toBe(3);
    expect(result.csv).toBe(
      [
        'account_number,meter,values,read_at,source',
        '1200100000,EM-1,day=1234;night=187,2026-12-20,import',
        '1200100037,EM-1,960,2026-12-22,import',
        '1200100111,EM-1,700,2026-12-18,import',
        '',
      ].join('\n'),
    );
    expect(seen).toEqual(Array.from({ length: config.subscriptions.fanOutShards }, (_, i) => i + 1));
  });

  it('refuses a period that is not a month', async () => {
    const stores = memoryStores();
    await expect(
      exportReadings({ config, readings: stores.readings }, { period: '2026-13' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
