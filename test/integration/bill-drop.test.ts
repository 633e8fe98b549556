// Bill files the utility's own billing system drops, imported on DynamoDB Local: once per version, rejects beside, nothing doubled.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBillingExchange } from '#adapters/local/local-billing-exchange';
import { BillDropBusyError, importBillDrop, MAX_DROP_BYTES } from '#app/bill-drop';
import { importAccounts } from '#app/import';
import { csvTextRows } from '#app/import-csv';
import { startNoticeRun } from '#app/notice-runs';
import type { BillStore, Deps } from '#app/ports';
import { type TestWorld, testWorld } from '#test/support/deps';
import { seedRecipients } from '#test/support/notices';
import { localNoticeQueues } from '../../bin/local/local-deps.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

let world: TestWorld;
let exchangeDir: string;
let exchange: LocalBillingExchange;
let deps: Deps;

beforeAll(async () => {
  world = await testWorld('seoul-water', new Date('2026-03-20T01:00:00Z'));
  exchangeDir = await mkdtemp(join(tmpdir(), 'utilitydesk-drop-'));
  exchange = new LocalBillingExchange(exchangeDir);
  deps = { ...world.deps, billDropFiles: exchange };
  const accounts = csvTextRows('accounts', await readFile(join(FIXTURES, 'seoul-accounts.csv')));
  if (!accounts.ok) throw new Error(accounts.problem);
  await importAccounts(world.deps, accounts.rows);
});

afterAll(async () => {
  await rm(exchangeDir, { recursive: true, force: true });
});

const fixture = (name: string) => readFile(join(FIXTURES, name));
const exchangeFile = (key: string) => join(exchangeDir, ...key.split('/'));
const rejectRows = async (key: string) =>
  (
    parse(await readFile(exchangeFile(key), 'utf8'), { columns: true, bom: true }) as Array<
      Record<string, string>
    >
  ).map((row) => [Number(row.line), row.reason]);

describe('a bill drop from the utility billing system', () => {
  it('imports the good rows as bills, writes the rejected ones to bills/rejects/ and moves the file to bills/processed/', async () => {
    // The utility's system drops its March file, in which some rows name unknown accounts or bad amounts.
    const drop = await exchange.drop('2026-03.csv', await fixture('seoul-bills.csv'));

    const result = await importBillDrop(deps, drop);

    expect(result).toMatchObject({
      outcome: 'imported',
      summary: { read: 11, imported: 3, rejected: 8, rejects: exchangeFile('bills/rejects/2026-03.csv') },
    });
    expect(await deps.bills.get('123456789', '2026-03')).toMatchObject({
      amountDue: 24400,
      source: 'import',
    });
    expect(await deps.bills.get('999999999', '2026-03')).toBeUndefined();
    const rejects = await rejectRows('bills/rejects/2026-03.csv');
    expect(rejects).toHaveLength(8);
    expect(rejects).toContainEqual([6, 'account_number: account 999999999 does not exist']);
    expect(existsSync(exchangeFile('bills/incoming/2026-03.csv'))).toBe(false);
    expect(existsSync(exchangeFile('bills/processed/2026-03.csv'))).toBe(true);
  });

  it('imports a version once however often its event comes, and leaves what changed since alone', async () => {
    // S3 delivers the event for one upload twice; in between, the resident paid the imported bill.
    const bytes = await fixture('seoul-bills.csv');
    const drop = await exchange.drop('twice.csv', bytes);
    const first = await importBillDrop(deps, drop);
    const bill = await deps.bills.get('223456789', '2026-03');
    if (!bill) throw new Error('the first delivery imported no bill');
    await deps.bills.putMany([{ ...bill, status: 'paid' }]);
    await exchange.drop('twice.csv', bytes);

    const second = await importBillDrop(deps, drop);

    expect(first.outcome).toBe('imported');
    expect(second).toEqual({
      outcome: 'already-imported',
      summary: first.outcome === 'imported' ? first.summary : {},
    });
    expect(await deps.bills.get('223456789', '2026-03')).toMatchObject({ status: 'paid' });
    expect(existsSync(exchangeFile('bills/incoming/twice.csv'))).toBe(false);
  });

  it('lets only one of two deliveries arriving together import, the other to be retried', async () => {
    // Two function instances get the same event at the same moment.
    const drop = await exchange.drop('together.csv', await fixture('seoul-bills.csv'));

    const outcomes = await Promise.allSettled([importBillDrop(deps, drop), importBillDrop(deps, drop)]);

    const imported = outcomes.filter((o) => o.status === 'fulfilled' && o.value.outcome === 'imported');
    const busy = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof BillDropBusyError);
    expect([imported.length, busy.length]).toEqual([1, 1]);
    await expect(importBillDrop(deps, drop)).resolves.toMatchObject({ outcome: 'already-imported' });
  });

  it('marks nothing done when the table fails part-way, so the redelivery imports the whole file', async () => {
    // DynamoDB throttles the second batch of bills; the queue redelivers the event after the failure.
    const drop = await exchange.drop('2026-05.csv', Buffer.from(billsForMay(150)));
    let batches = 0;
    const failing: BillStore = {
      ...deps.bills,
      get: (...args) => deps.bills.get(...args),
      list: (...args) => deps.bills.list(...args),
      putMany: async (bills) => {
        batches += 1;
        if (batches === 2) throw new Error('ProvisionedThroughputExceededException');
        await deps.bills.putMany(bills);
      },
    };

    await expect(importBillDrop({ ...deps, bills: failing }, drop)).rejects.toThrow(/Throughput/);
    expect(existsSync(exchangeFile('bills/incoming/2026-05.csv'))).toBe(true);
    const retried = await importBillDrop(deps, drop);

    expect(retried).toMatchObject({
      outcome: 'imported',
      summary: { read: 150, imported: 150, rejected: 0 },
    });
    expect(retried.outcome === 'imported' && retried.summary.rejects).toBeFalsy();
    expect(await deps.bills.get('123456789', '2026-05')).toMatchObject({ amountDue: 100 });
  });

  it('refuses a file whose header is not a bills header, writing nothing and saying why in the rejects file', async () => {
    // Someone drops the accounts file into the bills folder by mistake.
    const drop = await exchange.drop('accounts.csv', await fixture('seoul-accounts.csv'));

    const result = await importBillDrop(deps, drop);

    expect(result).toMatchObject({ outcome: 'imported', summary: { read: 0, imported: 0, rejected: 0 } });
    expect(result.outcome === 'imported' && result.summary.refused).toMatch(/lacks the required columns/);
    const [reject] = await rejectRows('bills/rejects/accounts.csv');
    expect(reject?.[0]).toBe(1);
    expect(reject?.[1]).toMatch(/It looks like|lacks the required columns/);
    expect(existsSync(exchangeFile('bills/processed/accounts.csv'))).toBe(true);
  });

  it('refuses a file larger than one drop may be, asking for it to be split', async () => {
    // A whole city's bills in one file.
    const drop = await exchange.drop('huge.csv', Buffer.alloc(MAX_DROP_BYTES + 1, 'a'));

    const result = await importBillDrop(deps, drop);

    expect(result.outcome === 'imported' && result.summary.refused).toMatch(/split it into several files/);
  });

  it('ignores objects that are not CSV files under bills/incoming/', async () => {
    // A note the utility's staff left beside the drops.
    const result = await importBillDrop(deps, { key: 'bills/incoming/README.txt', version: 'v1' });

    expect(result).toEqual({
      outcome: 'ignored',
      reason: 'bills/incoming/README.txt is not a .csv file under bills/incoming/',
    });
  });
});

describe('bills dropped by the utility billing system on the notice day', () => {
  it('reach the subscribers as the same bill notices as bills made here', async () => {
    // Tyumen's system dropped December's bills for five subscribed accounts before the 12th, 10:00.
    const tyumen = await testWorld('tyumen-power', new Date('2026-12-12T05:00:00Z'));
    const queues = localNoticeQueues(
      async () => tyumen.deps,
      tyumen.deps.config,
      tyumen.clock,
      tyumen.metrics,
    );
    tyumen.deps.noticeQueues = queues;
    const recipients = await seedRecipients(tyumen.deps, {
      count: 5,
      period: '2026-12',
      withoutBill: () => true,
    });
    const csv = [
      'account_number,period,usage_from,usage_to,usage,charges,amount_due,issued_at,status',
      ...recipients.map(
        (r) =>
          `${r.account.accountNumber},2026-12,2026-11-01,2026-11-30,250,energy=1580.00,1580.00,2026-12-05,unpaid`,
      ),
    ].join('\n');
    const tyumenExchange = new LocalBillingExchange(join(exchangeDir, 'tyumen'));
    const drop = await tyumenExchange.drop('2026-12.csv', Buffer.from(csv));
    const imported = await importBillDrop({ ...tyumen.deps, billDropFiles: tyumenExchange }, drop);

    await startNoticeRun(tyumen.deps, { kind: 'bill', period: '2026-12' });
    await queues.idle();

    expect(imported).toMatchObject({ outcome: 'imported', summary: { imported: 5, rejected: 0 } });
    const notices = tyumen.sms.list().filter((m) => m.purpose === 'notice');
    expect(notices.map((m) => m.to).sort()).toEqual(recipients.map((r) => r.subscription.phone).sort());
    expect(notices[0]?.body).toMatch(/1\s?580/);
  });
});

/** A bills file for May with one row per account of the fixture, repeated under made-up periods to reach `rows`. */
function billsForMay(rows: number): string {
  const header = 'account_number,period,usage_from,usage_to,usage,charges,amount_due,issued_at,status';
  const lines = [header, '123456789,2026-05,2026-03-16,2026-05-15,1,water=100,100,2026-05-20,unpaid'];
  for (let i = 1; i < rows; i += 1) {
    const year = 2100 + Math.floor(i / 12);
    const month = String((i % 12) + 1).padStart(2, '0');
    lines.push(`223456789,${year}-${month},2026-03-16,2026-05-15,1,water=100,100,2026-05-20,unpaid`);
  }
  return `${lines.join('\n')}\n`;
}
