// Replies to inbound SMS: never abroad, and at most limits.smsRepliesPerPhonePerDay to one phone a local day.
import { beforeEach, describe, expect, it } from 'vitest';
import { outboundMessageBody, readOutboundJob } from '#contracts/outbound-message';
import { isQuiet } from '#domain/quiet-hours';
import { smsInboundConsumer, smsOutboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { inboundEvent, inboundRecord, outboundRecord } from '#test/support/sqs';

const FOREIGN = '+447700900123';
let world: TestWorld;
let sequence = 0;

/** One SMS to the utility through the sms-inbound consumer, as SQS delivers it; it must be processed cleanly. */
async function text(from: string, body: string): Promise<void> {
  sequence++;
  const event = inboundEvent(
    inboundRecord({ messageId: `in-${sequence}`, from, to: '1661-0120', body }, world.clock.now()),
  );
  const response = await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);
  expect(response.batchItemFailures).toEqual([]);
}

const repliesTo = (phone: string) => world.sms.list(phone).filter((m) => m.purpose === 'reply');

describe('replies to a sender abroad (Seoul)', () => {
  const DOMESTIC = '+821098765432';

  beforeEach(async () => {
    world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
  });

  // Thirty HELP texts from a +44 number got thirty replies through the domestic gateway, which sends anywhere: a
  // stranger abroad could make the utility pay international SMS rates to a number of their choosing.
  it('sends none, however often it texts, and counts each one withheld', async () => {
    for (let i = 0; i < 30; i++) await text(FOREIGN, 'HELP');

    expect(world.sms.list()).toEqual([]);
    expect(world.metrics.total('SmsReplyWithheld', { reason: 'abroad' })).toBe(30);
    expect(world.metrics.total('SmsReplySent')).toBe(0);
  });

  it('still answers a domestic phone texting the same thing', async () => {
    await text(DOMESTIC, 'HELP');

    expect(repliesTo(DOMESTIC)).toHaveLength(1);
    expect(world.metrics.total('SmsReplySent', { kind: 'help' })).toBe(1);
  });
});

describe('a reading from a phone abroad, where any phone may send readings (Tyumen)', () => {
  const ACCOUNT = '1234567834';

  beforeEach(async () => {
    // 10:00 on 2026-12-16 in Yekaterinburg: inside the 15th-25th window.
    world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const readings = { ...world.deps.config.readings, phonePolicy: 'any' as const, replyOnSuccess: true };
    world.deps.config = { ...world.deps.config, readings };
    await world.deps.accounts.putMany([
      anAccount({
        accountNumber: ACCOUNT,
        district: 'tmn-central',
        phones: ['+79123456789'],
        meters: [{ id: 'EM-2', kind: 'single', unit: 'kWh', registers: ['total'] }],
      }),
    ]);
  });

  it('is stored, and neither it nor a refused one nor an invalid text gets a reply', async () => {
    await text(FOREIGN, `${ACCOUNT} 1234`);
    await text(FOREIGN, `${ACCOUNT} 1240 187`); // two values for a single-rate meter: refused
    await text(FOREIGN, 'hello');

    const { items } = await world.deps.readings.list(ACCOUNT, { limit: 10 });
    expect(items.map((r) => [r.values.total, r.source, r.status])).toEqual([[1234, 'sms', 'accepted']]);
    expect(world.sms.list()).toEqual([]);
    expect(world.metrics.total('SmsReplyWithheld', { reason: 'abroad' })).toBe(3);
  });
});

describe('replies to one phone in a local day (Seoul, UTC+9)', () => {
  const PHONE = '+821012345678';

  beforeEach(async () => {
    // 23:00 on 2026-12-05 in Seoul (14:00 UTC): local midnight comes an hour later, UTC midnight ten.
    world = await testWorld('seoul-water', new Date('2026-12-05T14:00:00Z'));
  });

  // A phone that keeps texting (a script, or a sender spoofing a resident's number) makes the utility pay for a
  // reply each time; a resident fumbling the format needs a few, never dozens.
  it('are capped at limits.smsRepliesPerPhonePerDay; the messages are still processed', async () => {
    expect(world.deps.config.limits.smsRepliesPerPhonePerDay).toBe(10);

    for (let i = 0; i < 12; i++) await text(PHONE, 'HELP');

    expect(repliesTo(PHONE)).toHaveLength(10);
    expect(world.metrics.total('SmsReplySent')).toBe(10);
    expect(world.metrics.total('SmsReplyWithheld', { reason: 'daily-cap' })).toBe(2);
  });

  it('start again after local midnight, hours before UTC midnight', async () => {
    for (let i = 0; i < 12; i++) await text(PHONE, 'HELP');
    world.clock.set(new Date('2026-12-05T14:59:59Z'));
    await text(PHONE, 'HELP');
    expect(repliesTo(PHONE)).toHaveLength(10);

    world.clock.set(new Date('2026-12-05T15:00:01Z')); // 00:00:01 on 2026-12-06 in Seoul, still the 5th in UTC
    await text(PHONE, 'HELP');

    expect(repliesTo(PHONE)).toHaveLength(11);
  });

  it('are counted per phone: one phone at its cap leaves another its own', async () => {
    const other = '+821011112222';
    for (let i = 0; i < 11; i++) await text(PHONE, 'HELP');

    await text(other, 'HELP');

    expect(repliesTo(other)).toHaveLength(1);
  });

  // The domestic gateway answered 503 for a minute: every HELP, BILL and reading reply sent in that minute was
  // lost, as the reply was sent inside the inbound consumer after the message had been recorded as done.
  it('survive a provider outage: the outbound queue delivers the reply again, and it goes out once', async () => {
    const gateway = world.deps.sms;
    let attempts = 0;
    world.deps.sms = {
      send: (message) =>
        ++attempts === 1 ? Promise.reject(new Error('gateway answered 503')) : gateway.send(message),
    };

    await text(PHONE, 'HELP');

    expect(attempts).toBe(2);
    expect(repliesTo(PHONE)).toHaveLength(1);
    expect(world.metrics.total('SmsDelivered', { outcome: 'sent' })).toBe(1);
    expect(world.metrics.total('SmsReplySent', { kind: 'help' })).toBe(1);
  });
});

describe('the inbound consumer and the provider', () => {
  const PHONE = '+821012345678';

  beforeEach(async () => {
    world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
  });

  it('calls no provider: it queues the reply as an outbox item, which the outbound consumer sends', async () => {
    const jobs: string[] = [];
    const queue = world.deps.outboundQueue;
    world.deps.outboundQueue = { enqueue: async (job) => void jobs.push(outboundMessageBody(job)) };

    await text(PHONE, 'HELP');

    expect(world.sms.list()).toEqual([]);
    expect(jobs.map((body) => readOutboundJob(body).kind)).toEqual(['sms']);
    world.deps.outboundQueue = queue;
    const records = jobs.map((body) => outboundRecord(body, world.clock.now()));
    const response = await runSqsBatch(
      smsOutboundConsumer.handleRecord,
      { Records: records },
      async () => world.deps,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(repliesTo(PHONE)).toHaveLength(1);
  });

  // A STOP ends notices, not answers: a resident who opted out and then texts HELP must still learn how to use the
  // service. Replies are exempt from opt-outs by their purpose, now that the outbound sender sends them.
  it('still answers a phone that opted out: its STOP confirmation and then its HELP', async () => {
    await text(PHONE, 'STOP');
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(true);

    await text(PHONE, 'HELP');

    expect(repliesTo(PHONE)).toHaveLength(2);
    expect(world.metrics.total('SmsDelivered', { outcome: 'sent' })).toBe(2);
  });

  // Quiet hours (21:00-08:00 in Seoul) hold notices back; a reply answers what the resident just sent, at any hour.
  it('replies at once in the quiet hours (23:30 in Seoul)', async () => {
    world.clock.set(new Date('2026-12-05T14:30:00Z'));
    const { timeZone, notices } = world.deps.config;
    expect(isQuiet(world.clock.now(), timeZone, notices.quietHours)).toBe(true);

    await text(PHONE, 'HELP');

    expect(repliesTo(PHONE)).toHaveLength(1);
  });
});
