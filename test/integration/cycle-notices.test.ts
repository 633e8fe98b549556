// The billing cycle's notices through the real path (planner and sender queues, DynamoDB Local): reading-window and
// due-reminder runs, a leak check to one account's subscribers, and auto-pay results recorded and told.
import { beforeEach, describe, expect, it } from 'vitest';
import { queueAccountNotice } from '#app/account-notices';
import { importAutoPayResults, recordAutoPayResult, recordAutoPayResults } from '#app/auto-pay';
import { startCycleNoticeRun } from '#app/cycle-notice-runs';
import { startDueReminders } from '#app/due-reminders';
import { noticeRunReport } from '#app/notice-report';
import { resumeHeldRuns } from '#app/notice-runs';
import type { Bill } from '#domain/bill';
import { AppError, ForbiddenError } from '#domain/errors';
import { fanOutShard } from '#domain/subscription';
import { localNoticeQueues } from '../../bin/local/local-deps.ts';
import { aBill, anAccount, aSubscription } from '../support/builders.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { type Recipient, seedRecipients } from '../support/notices.ts';

let world: TestWorld;

async function worldOf(utility: 'seoul-water' | 'tyumen-power', now: string) {
  world = await testWorld(utility, new Date(now));
  world.deps.config = {
    ...world.deps.config,
    subscriptions: { ...world.deps.config.subscriptions, fanOutShards: 2 },
  };
  const queues = localNoticeQueues(async () => world.deps, world.deps.config, world.clock, world.metrics);
  world.deps.noticeQueues = queues;
  return queues;
}

/** The notices in the outbox, newest first. */
const notices = () => world.sms.list().filter((m) => m.purpose === 'notice');

/**
 * Households of the world's utility, each an account with a bill for `period` and an active subscription per
 * phone (Korean phones in Seoul, Russian ones in Tyumen), imported as an operator imports subscribers.
 */
async function seedHouseholds(period: string, phonesPerAccount: number[]): Promise<Recipient[][]> {
  const seoul = world.deps.config.id === 'seoul-water';
  const households = phonesPerAccount.map((count, i) => {
    const accountNumber = String(100_000_000 + i);
    const phones = Array.from({ length: count }, (_, j) =>
      seoul
        ? `+82105555${String(i * 10 + j).padStart(4, '0')}`
        : `+79125555${String(i * 10 + j).padStart(3, '0')}`,
    );
    const account = anAccount({
      accountNumber,
      paymentMethod: 'giro',
      phones,
      ...(seoul ? {} : { virtualAccount: undefined, district: 'tmn-central' }),
    });
    const subscriptions = phones.map((phone, j) => ({
      ...aSubscription({ id: `sub-${i}-${j}`, accountNumber, phone, language: seoul ? 'ko' : 'ru' }),
      status: 'active' as const,
      verifiedAt: '2026-11-01T05:01:00.000Z',
      effectiveMonth: period,
      district: account.district,
    }));
    return subscriptions.map((subscription) => ({ account, subscription }));
  });
  await world.deps.accounts.putMany(households.map((h) => (h[0] as Recipient).account));
  await world.deps.bills.putMany(
    households.map((h) =>
      aBill({
        accountNumber: (h[0] as Recipient).account.accountNumber,
        period,
        ...(seoul ? {} : { currency: 'RUB' }),
      }),
    ),
  );
  const shards = world.deps.config.subscriptions.fanOutShards;
  await world.deps.subscriptions.importActive(
    households
      .flat()
      .map(({ subscription }) => ({ subscription, shard: fanOutShard(subscription.id, shards) })),
    world.deps.config.subscriptions.maxPhonesPerAccount,
  );
  return households;
}

describe('the due reminder', () => {
  let queues: Awaited<ReturnType<typeof worldOf>>;
  beforeEach(async () => {
    // 10:00 on 7 December in Yekaterinburg: the November bills are due on the 10th, three days on.
    queues = await worldOf('tyumen-power', '2026-12-07T05:00:00Z');
  });

  it('reaches the subscriber whose bill is unpaid and skips the one who paid', async () => {
    // Two households got November bills; one paid at the post office on the 5th, the other has not paid.
    const [paid, unpaid] = await seedRecipients(world.deps, { count: 2, period: '2026-11' });
    if (!paid || !unpaid) throw new Error('no recipients');
    const bills = await Promise.all(
      [paid, unpaid].map((r) => world.deps.bills.get(r.account.accountNumber, '2026-11')),
    );
    const [paidBill, unpaidBill] = bills.map((bill) => ({ ...(bill as Bill), dueDate: '2026-12-10' }));
    if (!paidBill || !unpaidBill) throw new Error('no bills');
    await world.deps.bills.putMany([
      unpaidBill,
      {
        ...paidBill,
        status: 'paid',
        payments: [{ paidAt: '2026-12-05T09:00:00+05:00', amount: paidBill.amountDue, method: 'cash' }],
      },
    ]);

    const result = await startDueReminders(world.deps, world.clock.now());
    await queues.idle();

    expect(result).toMatchObject({ runId: 'due-reminder/2026-11', started: true });
    expect(notices().map((m) => m.to)).toEqual([unpaid.subscription.phone]);
    // The unpaid household pays by auto-pay: told when the money will be withdrawn.
    expect(notices()[0]?.body).toContain('10 декабря 2026 автоплатежом будет списано 1 580,00 ₽');
    const report = await noticeRunReport(world.deps, { kind: 'due-reminder', period: '2026-11' });
    expect(report.counts).toMatchObject({ planned: 2, sent: 1, skipped: { paid: 1 } });
  });

  it('starts nothing on a day no bill falls due three days later', async () => {
    world.clock.set(new Date('2026-12-08T05:00:00Z'));
    expect(await startDueReminders(world.deps, world.clock.now())).toEqual({
      started: false,
      reason: 'no bill falls due 3 days after 2026-12-08',
    });
  });
});

describe('the reading-window reminder', () => {
  it("skips Seoul's utility-read meters and reaches the resident who reads their own", async () => {
    // 10:00 on 15 December in Seoul, the window's first day. Seoul's meter readers read most meters; one
    // household's meter is marked resident-read, so only that household is asked to text a reading.
    const queues = await worldOf('seoul-water', '2026-12-15T01:00:00Z');
    const [readByUtility, readByResident] = (await seedHouseholds('2026-12', [1, 1])).map((h) => h[0]);
    if (!readByUtility || !readByResident) throw new Error('no recipients');
    await world.deps.accounts.putMany([
      {
        ...readByResident.account,
        meters: readByResident.account.meters.map((m) => ({ ...m, readBy: 'resident' as const })),
      },
    ]);

    const result = await startCycleNoticeRun(world.deps, { kind: 'reading-window', ref: '2026-12' });
    await queues.idle();

    expect(result.runId).toBe('reading-window/2026-12');
    expect(notices().map((m) => m.to)).toEqual([readByResident.subscription.phone]);
    expect(notices()[0]?.body).toContain('2026.12.15 ~ 2026.12.25');
    expect(notices()[0]?.body).toContain('▶ 문자 보낼 번호: 1661-0120');
    const report = await noticeRunReport(world.deps, { kind: 'reading-window', period: '2026-12' });
    expect(report.counts).toMatchObject({ planned: 2, sent: 1, skipped: { 'not-self-read': 1 } });
  });
});

describe('an account notice', () => {
  it('reaches both subscribers of the account once, even when queued twice', async () => {
    // The billing run flags a leak on one account and is fired again after a crash: the household's two phones
    // each get the leak check once.
    const queues = await worldOf('tyumen-power', '2026-12-12T05:00:00Z');
    const [household, neighbour] = await seedHouseholds('2026-12', [2, 1]);
    const recipient = household?.[0];
    if (!recipient || !household || !neighbour) throw new Error('no recipients');
    const bill = await world.deps.bills.get(recipient.account.accountNumber, '2026-12');
    if (!bill) throw new Error('no bill');
    await world.deps.bills.putMany([{ ...bill, flags: ['leak-suspected'] }]);
    const request = {
      kind: 'leak-check' as const,
      ref: '2026-12',
      accountNumber: recipient.account.accountNumber,
    };

    expect(await queueAccountNotice(world.deps, request)).toEqual({ runId: 'leak-check/2026-12', queued: 2 });
    await queues.idle();
    await queueAccountNotice(world.deps, request);
    await queues.idle();

    expect(
      notices()
        .map((m) => m.to)
        .sort(),
    ).toEqual(household.map((r) => r.subscription.phone).sort());
    expect(notices()[0]?.body).toContain('возможна утечка');
    const report = await noticeRunReport(world.deps, { kind: 'leak-check', period: '2026-12' });
    expect(report).toMatchObject({ status: 'planned', counts: { planned: 2, sent: 2 }, pending: 0 });
  });

  it('waits through the quiet hours and goes when they end', async () => {
    // The bank's file is imported at 23:00: the auto-pay result is told at 08:00, not in the night.
    const queues = await worldOf('tyumen-power', '2026-12-05T18:00:00Z');
    const [recipient] = await seedRecipients(world.deps, { count: 1, period: '2026-11' });
    if (!recipient) throw new Error('no recipient');
    const autoPay = { ...recipient.account, paymentMethod: 'auto-pay' as const };
    await world.deps.accounts.putMany([autoPay]);

    await recordAutoPayResult(world.deps, {
      accountNumber: autoPay.accountNumber,
      period: '2026-11',
      status: 'not-withdrawn',
      reason: 'недостаточно средств',
      at: '2026-12-05T22:30:00+05:00',
      reference: 'SBER-0001',
    });
    await queues.idle();
    expect(notices()).toEqual([]);

    world.clock.set(new Date('2026-12-06T03:00:00Z'));
    await resumeHeldRuns(world.deps);
    await queues.idle();

    expect(notices().map((m) => m.to)).toEqual([recipient.subscription.phone]);
  });
});

describe('auto-pay results', () => {
  let queues: Awaited<ReturnType<typeof worldOf>>;
  let recipient: Recipient;
  beforeEach(async () => {
    // 10:00 on 23 November in Seoul, the day auto-pay is withdrawn.
    queues = await worldOf('seoul-water', '2026-11-23T01:00:00Z');
    const first = (await seedHouseholds('2026-11', [1]))[0]?.[0];
    if (!first) throw new Error('no recipient');
    recipient = { ...first, account: { ...first.account, paymentMethod: 'auto-pay' } };
    await world.deps.accounts.putMany([recipient.account]);
  });

  it('records a failed withdrawal on the bill and tells the subscriber why and how to pay instead', async () => {
    // The bank could not withdraw: not enough money in the account. The bill stays unpaid and the resident is
    // told the reason and the virtual account to pay into by the due date.
    const recorded = await recordAutoPayResult(world.deps, {
      accountNumber: recipient.account.accountNumber,
      period: '2026-11',
      status: 'not-withdrawn',
      reason: '잔액 부족',
      at: '2026-11-23T09:00:00+09:00',
      reference: 'WOORI-20261123-0001',
    });
    await queues.idle();

    expect(recorded).toMatchObject({ outcome: 'recorded', noticesQueued: 1 });
    const bill = await world.deps.bills.get(recipient.account.accountNumber, '2026-11');
    expect(bill).toMatchObject({
      status: 'unpaid',
      payments: [],
      autoPay: {
        status: 'not-withdrawn',
        reason: '잔액 부족',
        at: '2026-11-23T09:00:00+09:00',
        reference: 'WOORI-20261123-0001',
      },
    });
    expect(notices()).toHaveLength(1);
    expect(notices()[0]?.body).toContain('자동이체 출금 실패 안내');
    expect(notices()[0]?.body).toContain('▶ 사유: 잔액 부족');
    expect(notices()[0]?.body).toContain('▶ 납부방법: 가상계좌 우리은행 512345678901234');
  });

  it('records a withdrawal as a payment once, however often the bank file is imported', async () => {
    // The bank's file is imported twice (the first import was thought to have failed).
    const rows = [
      {
        line: 2,
        record: {
          account_number: recipient.account.accountNumber,
          period: '2026-11',
          status: 'withdrawn',
          amount: '24600',
          at: '2026-11-23T09:00:00+09:00',
          reference: 'WOORI-20261123-0002',
        },
      },
      {
        line: 3,
        record: {
          account_number: '999999999',
          period: '2026-11',
          status: 'withdrawn',
          amount: '10000',
          at: '2026-11-23T09:00:00+09:00',
          reference: 'WOORI-20261123-0003',
        },
      },
    ];

    const first = await importAutoPayResults(world.deps, rows);
    const second = await importAutoPayResults(world.deps, rows);
    await queues.idle();

    expect(first).toMatchObject({ read: 2, imported: 1, rejected: 1, duplicates: 0 });
    expect(first.rejects[0]).toMatchObject({ line: 3, reason: 'There is no account 999999999.' });
    expect(second).toMatchObject({ imported: 1, duplicates: 1 });
    const bill = await world.deps.bills.get(recipient.account.accountNumber, '2026-11');
    expect(bill?.status).toBe('paid');
    expect(bill?.payments).toEqual([
      {
        paidAt: '2026-11-23T09:00:00+09:00',
        amount: 24_600,
        method: 'auto-pay',
        reference: 'WOORI-20261123-0002',
      },
    ]);
    expect(notices()).toHaveLength(1);
    expect(notices()[0]?.body).toContain('자동이체로 출금되었습니다');
  });

  it('writes nothing from a batch with a result for an unknown bill, and refuses staff without the admin role', async () => {
    const good = {
      accountNumber: recipient.account.accountNumber,
      period: '2026-11',
      status: 'not-withdrawn' as const,
      at: '2026-11-23T09:00:00+09:00',
      reference: 'WOORI-1',
    };
    const admin = { subject: 'a', roles: ['admin' as const], districts: [], allDistricts: true };

    const refused = recordAutoPayResults(world.deps, admin, [
      good,
      { ...good, period: '2026-10', reference: 'W-2' },
    ]);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({
      kind: 'unprocessable',
      extensions: { errors: [{ field: 'body.results.1', message: expect.stringContaining('no bill') }] },
    });
    await expect(
      recordAutoPayResults(world.deps, { ...admin, roles: ['staff'], allDistricts: false }, [good]),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await world.deps.bills.get(recipient.account.accountNumber, '2026-11'))?.autoPay).toBeUndefined();
  });
});
