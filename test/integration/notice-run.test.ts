// A bill notice run through the real path: planner queue -> planner -> notice queue -> sender -> DynamoDB Local.
import { beforeEach, describe, expect, it } from 'vitest';
import { noticeRunReport } from '#app/notice-report';
import { resumeHeldRuns, startNoticeRun } from '#app/notice-runs';
import { type SendResult, sendNotices } from '#app/notice-sender';
import type { NoticeJob } from '#contracts/notice-job';
import { NotFoundError, ValidationError } from '#domain/errors';
import { noticeId } from '#domain/notice';
import { localNoticeQueues } from '../../bin/local/local-deps.ts';
import { anotherInstance, type TestWorld, testWorld } from '../support/deps.ts';
import { recordDynamoCalls } from '../support/dynamo.ts';
import { type Recipient, seedRecipients } from '../support/notices.ts';

const PERIOD = '2026-12';
let world: TestWorld;
let queues: ReturnType<typeof localNoticeQueues>;

/** The bill notices in the outbox, by phone: a phone listed twice got its notice twice. */
const noticesByPhone = () => {
  const counts = new Map<string, number>();
  for (const m of world.sms.list().filter((m) => m.purpose === 'notice'))
    counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  return counts;
};

/** The subscriber texts СТОП just before the notice day's run. */
const sendsStop = (recipient: Recipient) =>
  world.deps.optOuts.record({
    phone: recipient.subscription.phone,
    optedOut: true,
    at: '2026-12-12T04:59:00.000Z',
    messageId: 'stop-1',
    channel: 'sms',
    keyword: 'СТОП',
  });

async function run(restart = false) {
  const result = await startNoticeRun(world.deps, { kind: 'bill', period: PERIOD, restart });
  await queues.idle();
  return result;
}

beforeEach(async () => {
  // The notice day: 10:00 on 2026-12-12 in Yekaterinburg.
  world = await testWorld('tyumen-power', new Date('2026-12-12T05:00:00Z'));
  // Pages of 5 over 4 shards: the planner's continuation runs several pages per shard.
  world.deps.config = {
    ...world.deps.config,
    subscriptions: { ...world.deps.config.subscriptions, fanOutShards: 4 },
    notices: { ...world.deps.config.notices, planPageSize: 5 },
  };
  queues = localNoticeQueues(async () => world.deps, world.deps.config, world.clock, world.metrics);
  world.deps.noticeQueues = queues;
});

describe('a bill notice run', () => {
  it('sends every subscriber of the period one notice, over many pages of every shard', async () => {
    const recipients = await seedRecipients(world.deps, { count: 45, period: PERIOD });

    const result = await run();

    expect(result).toMatchObject({ runId: 'bill/2026-12', started: true });
    const sent = noticesByPhone();
    expect(sent.size).toBe(45);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(sent.keys())).toEqual(new Set(recipients.map((r) => r.subscription.phone)));
    expect(await world.deps.notices.getRun({ kind: 'bill', ref: PERIOD })).toMatchObject({
      status: 'planned',
      shardsPlanned: expect.arrayContaining([0, 1, 2, 3]),
    });
    const report = await noticeRunReport(world.deps, { kind: 'bill', period: PERIOD });
    expect(report).toMatchObject({
      run: 'bill/2026-12',
      status: 'planned',
      shards: { total: 4, planned: 4 },
      pending: 0,
      counts: { planned: 45, sent: 45, byChannel: { sms: 45, messenger: 0 }, skipped: {} },
    });
    // Tyumen's list price is 3.5 RUB a part; each notice is Cyrillic, so UCS-2 parts.
    expect(report.estimatedCost).toMatchObject({
      currency: 'RUB',
      sms: report.counts.smsParts * 3.5,
      total: report.counts.smsParts * 3.5,
    });
  });

  it('sends nothing more when the run is fired again, started again, or its notices are delivered again', async () => {
    // The schedule fires twice (EventBridge delivers at least once), an operator restarts the run, and SQS
    // redelivers a batch that was already sent: each notice still reaches its phone once.
    const recipients = await seedRecipients(world.deps, { count: 30, period: PERIOD });
    await run();
    const before = world.sms.list().length;

    expect((await run()).started).toBe(false);
    expect((await run(true)).started).toBe(true);
    await world.deps.noticeQueues.send(recipients.map((r) => jobOf(r)));
    await queues.idle();

    expect(world.sms.list()).toHaveLength(before);
    expect(await world.deps.notices.counts({ kind: 'bill', ref: PERIOD })).toMatchObject({
      planned: 30,
      sent: 30,
    });
  });

  it('two senders given the same notice at once send it once', async () => {
    const [recipient] = await seedRecipients(world.deps, { count: 1, period: PERIOD });
    if (!recipient) throw new Error('no recipient');
    // The run only: nothing planned in the background, so the three senders below are the only ones.
    await world.deps.notices.startRun(
      { kind: 'bill', ref: PERIOD, createdAt: '2026-12-12T05:00:00.000Z', shards: 4 },
      false,
    );
    const job = jobOf(recipient);
    const instances = [world.deps, anotherInstance(world), anotherInstance(world)];

    const results = await Promise.all(
      instances.map(
        async (deps) => (await sendNotices(deps, [job], await deps.noticeSources.read([job])))[0],
      ),
    );

    expect(noticesByPhone().get(recipient.subscription.phone)).toBe(1);
    // The others found it in progress (an error: the queue retries them) or done.
    expect(results.filter((r) => !(r instanceof Error) && r?.result === 'sent')).toHaveLength(1);
  });

  it("reads a delivery's opt-outs with its sources and claims its ten notices in one write: four DynamoDB calls", async () => {
    // Ten subscribers in one SQS batch, one of whom texted СТОП a minute ago: one more read a phone once made the
    // opt-out check the largest share of a run's DynamoDB calls.
    const recipients = await seedRecipients(world.deps, { count: 10, period: PERIOD });
    await world.deps.notices.startRun(
      { kind: 'bill', ref: PERIOD, createdAt: '2026-12-12T05:00:00.000Z', shards: 4 },
      false,
    );
    const stopped = recipients[3] as Recipient;
    await sendsStop(stopped);
    const jobs = recipients.map((r) => jobOf(r));
    const calls = recordDynamoCalls(world.table.client);

    const results = await sendNotices(world.deps, jobs, await world.deps.noticeSources.read(jobs));

    expect(calls.map((c) => c.operation)).toEqual([
      'BatchGetItem', // subscriptions, accounts, bills
      'BatchGetItem', // the subscriptions' phones' opt-out states
      'TransactWriteItems', // the ten claims
      'TransactWriteItems', // the ten outcomes and the run's counts
    ]);
    expect(results[3]).toMatchObject({ result: 'skipped', outcome: { reason: 'opted-out' } });
    expect(noticesByPhone().has(stopped.subscription.phone)).toBe(false);
    expect(noticesByPhone().size).toBe(9);
  });

  it('records why a notice did not go: no bill for the account, a STOP since the run was planned', async () => {
    const recipients = await seedRecipients(world.deps, {
      count: 6,
      period: PERIOD,
      withoutBill: (i) => i === 0,
    });
    const stopped = recipients[1] as Recipient;
    await sendsStop(stopped);

    await run();

    expect(noticesByPhone().size).toBe(4);
    const counts = await world.deps.notices.counts({ kind: 'bill', ref: PERIOD });
    expect(counts.skipped).toEqual({ 'no-bill': 1, 'opted-out': 1 });
    expect(counts).toMatchObject({ planned: 6, sent: 4 });
    const record = await world.deps.notices.get(
      noticeId({
        kind: 'bill',
        ref: PERIOD,
        accountNumber: stopped.account.accountNumber,
        phone: stopped.subscription.phone,
      }),
    );
    expect(record).toMatchObject({ status: 'done', outcome: 'skipped', reason: 'opted-out' });
  });

  it('refuses a period that has not begun and one that is no month, starting nothing', async () => {
    await expect(startNoticeRun(world.deps, { kind: 'bill', period: '2027-01' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(startNoticeRun(world.deps, { kind: 'bill', period: '2026-13' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await world.deps.notices.getRun({ kind: 'bill', ref: '2027-01' })).toBeUndefined();
    await expect(noticeRunReport(world.deps, { kind: 'bill', period: '2027-01' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(noticeRunReport(world.deps, { kind: 'letters', period: '2026-12' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('quiet hours (21:00-08:00 local)', () => {
  it('hold a run started at 22:30 until 08:00, then send every notice once', async () => {
    // An operator starts the run late in the evening: residents must not be woken by it.
    const recipients = await seedRecipients(world.deps, { count: 12, period: PERIOD });
    world.clock.set(new Date('2026-12-12T17:30:00Z')); // 22:30 in Yekaterinburg

    const started = await run();

    expect(started).toMatchObject({ started: true, resumeAt: '2026-12-13T03:00:00.000Z' });
    expect(noticesByPhone().size).toBe(0);
    expect(await world.deps.notices.getRun({ kind: 'bill', ref: PERIOD })).toMatchObject({
      status: 'waiting',
    });
    // Still quiet at 07:59: the end-of-quiet-hours resume does nothing yet.
    world.clock.set(new Date('2026-12-13T02:59:00Z'));
    expect(await resumeHeldRuns(world.deps)).toEqual([]);

    world.clock.set(new Date('2026-12-13T03:00:00Z')); // 08:00
    expect(await resumeHeldRuns(world.deps)).toHaveLength(1);
    await queues.idle();

    expect(noticesByPhone().size).toBe(recipients.length);
    expect(await world.deps.notices.heldRuns()).toEqual([]);
    expect(await world.deps.notices.getRun({ kind: 'bill', ref: PERIOD })).toMatchObject({
      status: 'planned',
    });
  });

  it.each([
    ['2026-12-12T20:59:00+05:00', 'sent'],
    ['2026-12-12T21:00:00+05:00', 'held'],
    ['2026-12-13T07:59:00+05:00', 'held'],
    ['2026-12-13T08:00:00+05:00', 'sent'],
  ])('a notice the sender takes at %s is %s', async (at, expected) => {
    const [recipient] = await seedRecipients(world.deps, { count: 1, period: PERIOD });
    if (!recipient) throw new Error('no recipient');
    await world.deps.notices.startRun({ kind: 'bill', ref: PERIOD, createdAt: at, shards: 4 }, false);
    world.clock.set(new Date(at));
    const job = jobOf(recipient);

    const [result] = await sendNotices(world.deps, [job], await world.deps.noticeSources.read([job]));

    expect((result as SendResult).result).toBe(expected);
    expect(noticesByPhone().size).toBe(expected === 'sent' ? 1 : 0);
  });
});

const jobOf = (r: Recipient): NoticeJob => ({
  run: { kind: 'bill', ref: PERIOD },
  accountNumber: r.account.accountNumber,
  subscriptionId: r.subscription.id,
});
