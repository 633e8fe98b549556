// ops import readings: meter readers' readings loaded from a file, under the same rules as residents' readings.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import type { ImportRow } from '#app/import';
import { importReadings } from '#app/readings-import';
import { loadUtilityConfig } from '#config/load';
import type { ImportRecord } from '#domain/import-cells';
import { aBill, anAccount } from '#test/support/builders';
import { memoryStores } from '#test/support/memory-stores';

const config = loadUtilityConfig('tyumen-power');
const TWO_TARIFF = '1234567833';
const SINGLE = '1234567834';
let stores: ReturnType<typeof memoryStores>;
// 10:00 on 2026-12-16 in Yekaterinburg.
const clock = new ManualClock(new Date('2026-12-16T05:00:00Z'));
const deps = () => ({ config, clock, readings: stores.readings });

const rowsOf = (records: ImportRecord[]): ImportRow[] =>
  records.map((record, i) => ({ line: i + 2, record }));
const row = (account_number: string, values: string, read_at: string, meter = ''): ImportRecord => ({
  account_number,
  meter,
  values,
  read_at,
});

beforeEach(async () => {
  stores = memoryStores();
  await stores.accounts.putMany([
    anAccount({
      accountNumber: TWO_TARIFF,
      district: 'tmn-central',
      meters: [{ id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
    }),
    anAccount({
      accountNumber: SINGLE,
      district: 'tmn-central',
      meters: [{ id: 'EM-2', kind: 'single', unit: 'kWh', registers: ['total'] }],
    }),
  ]);
  // November's bill printed the two-tariff meter at day 1120, night 445 on 30 November.
  await stores.bills.putMany([
    aBill({
      accountNumber: TWO_TARIFF,
      period: '2026-12',
      currency: 'RUB',
      usagePeriod: { from: '2026-11-01', to: '2026-11-30' },
      usage: { volume: 165, unit: 'kWh', registers: { day: 120, night: 45 }, estimated: false },
      meterReadings: [
        {
          meterId: 'EM-1',
          register: 'day',
          current: { value: 1120, date: '2026-11-30', kind: 'actual' },
          volume: 120,
        },
        {
          meterId: 'EM-1',
          register: 'night',
          current: { value: 445, date: '2026-11-30', kind: 'actual' },
          volume: 45,
        },
      ],
    }),
  ]);
});

describe('importReadings', () => {
  // The supplier's meter readers walk the district in December: their readings arrive as a file and must count
  // for December's window as a resident's SMS would, and be refused by the same rules.
  it('stores good rows as readings of their window that count for billing, and rejects the rest by line with the reason', async () => {
    const result = await importReadings(
      deps(),
      rowsOf([
        row(TWO_TARIFF, 'day=1200;night=480', '2026-12-10'),
        row(SINGLE, '5000', '2026-11-20', 'EM-2'),
        row('1234567899', '1200', '2026-12-10'),
        row(SINGLE, '5100', '2026-12-10', 'EM-9'),
        row(SINGLE, '5100', '2026-12-20'),
        row(TWO_TARIFF, 'day=1100;night=450', '2026-12-05'),
        row(TWO_TARIFF, '1234', '2026-12-06'),
        row(SINGLE, '4900', '2026-12-12'),
        row(SINGLE, '5000', '2026-11-20', 'EM-2'),
      ]),
    );
    expect(result).toMatchObject({ read: 9, imported: 2, rejected: 7 });
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'account_number: There is no account 1234567899.'],
      [5, 'meter: The account has no meter EM-9.'],
      [6, 'read_at: 2026-12-20 is in the future (today is 2026-12-16 in Asia/Yekaterinburg)'],
      [7, 'values: The day reading 1100 is below the previous one, 1120.'],
      [8, 'values: This meter takes 2 readings (day, night).'],
      [9, 'values: The total reading 4900 is below the previous one, 5000.'],
      [10, 'duplicate of line 3 (same account_number, meter and read_at)'],
    ]);
    const [counting] = await stores.readings.countingFor([
      { accountNumber: TWO_TARIFF, meterId: 'EM-1', period: '2026-12' },
    ]);
    expect(counting).toMatchObject({
      values: { day: 1200, night: 480 },
      readAt: '2026-12-10',
      source: 'import',
    });
    const [stored] = (await stores.readings.list(TWO_TARIFF, { limit: 5 })).items;
    expect(stored).toMatchObject({
      period: '2026-12',
      source: 'import',
      status: 'accepted',
      consumption: 115,
    });
  });

  it('imports the same file again to the same readings, and rejects other values for a meter and date already imported', async () => {
    const rows = rowsOf([row(TWO_TARIFF, 'day=1200;night=480', '2026-12-10')]);
    await importReadings(deps(), rows);
    const again = await importReadings(deps(), rows);
    expect(again).toMatchObject({ imported: 1, rejected: 0 });
    expect((await stores.readings.list(TWO_TARIFF, { limit: 5 })).items).toHaveLength(1);
    const changed = await importReadings(
      deps(),
      rowsOf([row(TWO_TARIFF, 'day=1210;night=480', '2026-12-10')]),
    );
    expect(changed.rejects.map((r) => r.reason)).toEqual([
      "values: this meter's reading of 2026-12-10 was imported before as day=1200;night=480",
    ]);
  });

  it('counts the latest reading taken in a window: an earlier-dated import does not displace a later one', async () => {
    await importReadings(deps(), rowsOf([row(SINGLE, '5100', '2026-12-12')]));
    await importReadings(deps(), rowsOf([row(SINGLE, '5050', '2026-12-02')]));
    const [counting] = await stores.readings.countingFor([
      { accountNumber: SINGLE, meterId: 'EM-2', period: '2026-12' },
    ]);
    expect(counting).toMatchObject({ values: { total: 5100 }, readAt: '2026-12-12' });
  });
});
