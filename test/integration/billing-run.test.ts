// The billing run through the real path: billing queue -> billing-run consumer -> use case -> DynamoDB Local.
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalBillingQueue } from '#adapters/local/local-billing-queue';
import { billingRunReport } from '#app/billing-report';
import { startBillingRun } from '#app/billing-run-start';
import type { BillingStore } from '#app/ports';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import { ValidationError } from '#domain/errors';
import { fanOutShard } from '#domain/subscription';
import { aBill, anAccount } from '../support/builders.ts';
import { anotherInstance, type TestWorld, testWorld } from '../support/deps.ts';

const PERIOD = '2026-12';
let world: TestWorld;

/** Tyumen accounts with one single-rate meter each, and last month's bill printing its reading. */
function tyumenAccount(i: number): Account {
  const accountNumber = String(1_000_000_000 + i * 7);
  return {
    accountNumber,
    holderName: 'Иванов Иван',
    address: `г. Тюмень, ул. Мира, д. ${i}`,
    district: 'tmn-central',
    paymentMethod: 'giro',
    households: 1,
    meters: [{ id: `EM-${i}`, kind: 'single', unit: 'kWh', registers: ['total'] }],
    phones: [],
  };
}

function lastMonthsBill(account: Account, reading: number): Bill {
  return aBill({
    accountNumber: account.accountNumber,
    period: '2026-11',
    currency: 'RUB',
    usagePeriod: { from: '2026-09-20', to: '2026-10-20' },
    usage: { volume: 150, unit: 'kWh', registers: { total: 150 }, estimated: false, method: 'actual' },
    charges: [{ code: 'energy', label: 'Электроэнергия', volume: 150, rate: 6.37, amount: 95550 }],
    amountDue: 95550,
    dueDate: '2026-12-10',
    issuedAt: '2026-10-26',
    status: 'paid',
    payments: [{ paidAt: '2026-11-05T10:00:00+05:00', amount: 95550, method: 'giro' }],
    meterReadings: [
      {
        meterId: account.meters[0]?.id ?? '',
        register: 'total',
        previous: { value: reading - 150, date: '2026-09-20', kind: 'actual' },
        current: { value: reading, date: '2026-10-20', kind: 'actual' },
        volume: 150,
      },
    ],
  });
}

async function seed(count: number): Promise<Account[]> {
  const accounts = Array.from({ length: count }, (_, i) => tyumenAccount(i));
  await world.deps.accounts.putMany(accounts);
  await world.deps.bills.putMany(accounts.map((a, i) => lastMonthsBill(a, 1000 + i)));
  return accounts;
}

async function billingRun(restart = false) {
  const result = await startBillingRun(world.deps, { period: PERIOD, restart });
  await (world.deps.billingQueue as LocalBillingQueue).idle();
  return result;
}

const billsOf = async (accounts: Account[]) =>
  Promise.all(accounts.map((a) => world.deps.bills.get(a.accountNumber, PERIOD)));

beforeEach(async () => {
  // The night after the window closed: 01:00 on 2026-11-26 in Yekaterinburg.
  world = await testWorld('tyumen-power', new Date('2026-11-25T20:00:00Z'));
  // Four shards and pages of five: every part takes several pages.
  world.deps.config = {
    ...world.deps.config,
    billing: { ...world.deps.config.billing, run: { time: '01:00', shards: 4, pageSize: 10 } },
  };
  world.deps = anotherInstance(world);
});

describe('a billing run', () => {
  it('bills every account of the period once, over many pages of every shard', async () => {
    const accounts = await seed(45);

    const result = await billingRun();

    expect(result).toMatchObject({ runId: 'billing/2026-12', started: true });
    const bills = await billsOf(accounts);
    expect(bills.every((b) => b?.source === 'billing-run' && b.runStart === 1)).toBe(true);
    const report = await billingRunReport(world.deps, { period: PERIOD });
    // Monthly: both billing cycles are read, 2 x 4 parts.
    expect(report).toMatchObject({
      run: 'billing/2026-12',
      status: 'done',
      parts: { total: 8, done: 8 },
      counts: { created: 45, skipped: 0, failed: 0 },
      failures: [],
    });
    expect(report.counts.amountDue).toBe(bills.reduce((t, b) => t + (b?.amountDue ?? 0), 0));
  });

  it('fired twice is one run; started again by hand it skips every account already billed', async () => {
    const accounts = await seed(12);
    await billingRun();
    const first = await billsOf(accounts);

    const again = await billingRun();
    expect(again.started).toBe(false);
    const restarted = await billingRun(true);
    expect(restarted).toMatchObject({ started: true, run: { starts: 2 } });

    expect(await billsOf(accounts)).toEqual(first);
    const report = await billingRunReport(world.deps, { period: PERIOD });
    expect(report.counts).toMatchObject({ created: 12, skipped: 12, failed: 0 });
    expect(report).toMatchObject({ status: 'done', starts: 2 });
  });

  it('survives a crash half-way: the redelivered page bills the rest, and no account twice', async () => {
    const accounts = await seed(30);
    // The consumer dies right after the second page's bills are written, once (a timeout, a deployment).
    let writes = 0;
    const store = world.deps.billing;
    const crashing: BillingStore = Object.create(store);
    crashing.createBills = async (bills) => {
      const result = await store.createBills(bills);
      if (++writes === 2) throw new Error('the function was stopped');
      return result;
    };
    world.deps.billing = crashing;

    await billingRun();

    const bills = await billsOf(accounts);
    expect(bills.every((b) => b !== undefined)).toBe(true);
    const report = await billingRunReport(world.deps, { period: PERIOD });
    // The page that crashed was read again: its bills made before the crash are this start's, counted once.
    expect(report.counts).toMatchObject({ created: 30, skipped: 0, failed: 0 });
    expect(report.status).toBe('done');
  });

  it('fired again after pages gave up: the rest are billed, those billed before are skipped', async () => {
    const accounts = await seed(10);
    const store = world.deps.billing;
    const broken: BillingStore = Object.create(store);
    // Through the whole first run DynamoDB takes the odd accounts' bills and refuses the even ones': the pages
    // holding an even account fail every delivery and end in the dead-letter queue.
    const isEven = (bill: Bill) => Number(bill.accountNumber.slice(-1)) % 2 === 0;
    let refused = 0;
    broken.createBills = async (bills) => {
      const taken = await store.createBills(bills.filter((b) => !isEven(b)));
      if (bills.some(isEven)) {
        refused++;
        throw new Error('ProvisionedThroughputExceededException');
      }
      return taken;
    };
    world.deps.billing = broken;
    await billingRun();
    expect(refused).toBeGreaterThan(0);
    expect((await billingRunReport(world.deps, { period: PERIOD })).status).toBe('running');

    world.deps.billing = store;
    await billingRun(true);

    const bills = await billsOf(accounts);
    const even = (b: Bill | undefined) => Number(b?.accountNumber.slice(-1)) % 2 === 0;
    expect(bills.every((b) => b !== undefined)).toBe(true);
    // The refused accounts were billed by the second start, the others kept the bill the first start made.
    expect(bills.filter((b) => b?.runStart === 2).every(even)).toBe(true);
    expect(bills.filter((b) => b?.runStart === 1).some(even)).toBe(false);
    const report = await billingRunReport(world.deps, { period: PERIOD });
    expect(report.status).toBe('done');
    expect(report.counts.skipped).toBe(bills.filter((b) => b?.runStart === 1).length);
  });

  it('names the accounts it could not bill and why', async () => {
    const [good] = await seed(1);
    const odd: Account = {
      ...tyumenAccount(99),
      meters: [{ id: 'GAS-1', kind: 'three-tariff', unit: 'kWh', registers: ['peak', 'night', 'half'] }],
    };
    await world.deps.accounts.putMany([odd]);

    await billingRun();

    const report = await billingRunReport(world.deps, { period: PERIOD });
    expect(report.counts).toMatchObject({ created: 1, failed: 1 });
    expect(report.failures).toEqual([
      expect.objectContaining({ accountNumber: odd.accountNumber, reason: 'unknown-meter-kind' }),
    ]);
    expect(await world.deps.bills.get(odd.accountNumber, PERIOD)).toBeUndefined();
    expect(await world.deps.bills.get(good?.accountNumber ?? '', PERIOD)).toBeDefined();
  });

  it('refuses a period whose readings are not in yet', async () => {
    await expect(startBillingRun(world.deps, { period: '2027-01' })).rejects.toBeInstanceOf(ValidationError);
    await expect(startBillingRun(world.deps, { period: '2026-13' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('a billing run in Seoul, every two months', () => {
  it('bills the accounts of the period’s cycle only, over two months of usage, priced and rounded to 10 won', async () => {
    // December is an even month: cycle 0 accounts are billed now, cycle 1 accounts were billed in November.
    world = await testWorld('seoul-water', new Date('2026-11-25T16:00:00Z'));
    // Enrolled in self meter-reading: 600 won off for a reading sent by the resident.
    const even = anAccount({
      accountNumber: '111000001',
      billingCycle: 0,
      phones: [],
      reductions: ['self-reading'],
    });
    const odd = anAccount({ accountNumber: '111000002', billingCycle: 1, phones: [] });
    await world.deps.accounts.putMany([even, odd]);
    await world.deps.bills.putMany([
      aBill({
        accountNumber: even.accountNumber,
        period: '2026-10',
        status: 'paid',
        usagePeriod: { from: '2026-08-26', to: '2026-10-25' },
        meterReadings: [
          {
            meterId: 'WM-1',
            register: 'total',
            current: { value: 500, date: '2026-10-25', kind: 'actual' },
            volume: 20,
          },
        ],
      }),
    ]);
    await world.deps.readings.add(
      {
        id: 'r-1',
        accountNumber: even.accountNumber,
        meterId: 'WM-1',
        period: '2026-11',
        values: { total: 540 },
        consumption: 40,
        source: 'sms',
        status: 'accepted',
        submittedAt: '2026-11-20T01:00:00.000Z',
      },
      {
        supersedes: [],
        expectedCounting: null,
        counting: 'r-1',
        count: 1,
        now: Date.parse('2026-11-20T01:00:00.000Z'),
        countingReading: { values: { total: 540 }, readAt: '2026-11-20', source: 'sms' },
        shard: fanOutShard(even.accountNumber, world.deps.config.subscriptions.fanOutShards),
      },
    );

    await billingRun();

    const bill = await world.deps.bills.get(even.accountNumber, PERIOD);
    expect(await world.deps.bills.get(odd.accountNumber, PERIOD)).toBeUndefined();
    // 540 - 500 = 40 m3 over 2026-10-26..2026-11-20, read by the resident (a self-reading credit).
    expect(bill).toMatchObject({
      usage: { volume: 40, method: 'actual' },
      usagePeriod: { from: '2026-10-26', to: '2026-11-20' },
    });
    // Every amount is a multiple of 10 won (Seoul rounds each line down to 10).
    expect([...(bill?.charges ?? []), ...(bill?.reductions ?? [])].every((l) => l.amount % 10 === 0)).toBe(
      true,
    );
    expect(bill?.reductions).toEqual([expect.objectContaining({ code: 'self-reading', amount: 600 })]);
    const report = await billingRunReport(world.deps, { period: PERIOD });
    expect(report).toMatchObject({ parts: { total: 16 }, counts: { created: 1, skipped: 0, failed: 0 } });
  });
});
