// The outbound queue's sender: each queued SMS or e-mail sent at most once per claim, decoys and expired codes
// dropped, a refusal for good recorded rather than retried into the dead-letter queue.

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENTITY, keys } from '#adapters/dynamo/keys';
import { deliverQueued, OutboxInProgressError, queueEmail, queueSms } from '#app/outbound';
import { EmailRefusedError, type OutboundQueue, SmsRefusedError } from '#app/ports';
import { outboundMessageBody, readOutboundJob } from '#contracts/outbound-message';
import { smsOutboundConsumer } from '#handlers/sqs/consumers';
import { type TestWorld, testWorld } from '#test/support/deps';
import { localConsumerQueue } from '../../bin/local/local-deps.ts';

let world: TestWorld;
const PHONE = '+821012345678';

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
});

/** The queue's job for an outbox item's SMS. */
const sms = (id: string) => ({ kind: 'sms' as const, id });

/** The outbox item's id of the SMS queued last: queued through the real path, then found in the table. */
async function queueOne(over: { decoy?: boolean; notAfter?: Date } = {}): Promise<string> {
  const ids: string[] = [];
  const { outboundQueue } = world.deps;
  world.deps.outboundQueue = { enqueue: async (job) => void ids.push(job.id) };
  try {
    await queueSms(world.deps, { to: PHONE, body: 'code 123456', purpose: 'otp', ...over });
  } finally {
    world.deps.outboundQueue = outboundQueue;
  }
  return ids[0] ?? '';
}

describe('sending a queued SMS', () => {
  it('sends it once, however often the job is delivered', async () => {
    const id = await queueOne();
    expect(await deliverQueued(world.deps, sms(id))).toBe('sent');
    expect(await deliverQueued(world.deps, sms(id))).toBe('duplicate');
    expect(world.sms.list(PHONE).map((m) => m.body)).toEqual(['code 123456']);
  });

  it('drops a decoy and a code that expired while queued, unsent', async () => {
    const decoy = await queueOne({ decoy: true });
    const late = await queueOne({ notAfter: new Date(world.clock.now().getTime() + 60_000) });
    world.clock.advance(120_000);
    expect(await deliverQueued(world.deps, sms(decoy))).toBe('dropped');
    expect(await deliverQueued(world.deps, sms(late))).toBe('expired');
    expect(world.sms.list(PHONE)).toEqual([]);
  });

  // A country the protect configuration blocks once failed three deliveries and waited in the dead-letter queue.
  it('records a refusal for good as refused, done, and not to be tried again', async () => {
    const id = await queueOne();
    let tries = 0;
    world.deps.sms = {
      send: async () => {
        tries++;
        throw new SmsRefusedError('DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION');
      },
    };
    expect(await deliverQueued(world.deps, sms(id))).toBe('refused');
    expect(await deliverQueued(world.deps, sms(id))).toBe('duplicate');
    expect(tries).toBe(1);
  });

  // Once per claim, not exactly once: a consumer that dies after the provider took the SMS but before the send
  // was recorded leaves its claim behind. The job's next delivery waits while the claim may still be live, then
  // takes it over and sends the SMS again: the resident gets the code twice rather than never.
  it('sends it once more when the worker died between the provider’s answer and the record, after 60 s', async () => {
    const id = await queueOne();
    const { outbox } = world.deps;
    world.deps.outbox = {
      put: (message, retainUntil) => outbox.put(message, retainUntil),
      claim: (smsId, now) => outbox.claim(smsId, now),
      release: (smsId) => outbox.release(smsId),
      complete: () => Promise.reject(new Error('the worker died')),
    };
    await expect(deliverQueued(world.deps, sms(id))).rejects.toThrow('the worker died');
    world.deps.outbox = outbox;

    world.clock.advance(60_000);
    await expect(deliverQueued(world.deps, sms(id))).rejects.toThrow(OutboxInProgressError);
    world.clock.advance(1);
    expect(await deliverQueued(world.deps, sms(id))).toBe('sent');
    expect(await deliverQueued(world.deps, sms(id))).toBe('duplicate');
    expect(world.sms.list(PHONE).map((m) => m.body)).toEqual(['code 123456', 'code 123456']);
  });

  // Codes refused for good or expiring in the queue once went unseen: nothing counted what the sender did with them,
  // so a protect configuration that blocked the utility's own country stopped every code without a sound.
  it('counts every outcome as SmsDelivered, by outcome, for the dashboard and the alarms', async () => {
    const sent = await queueOne();
    const decoy = await queueOne({ decoy: true });
    const late = await queueOne({ notAfter: new Date(world.clock.now().getTime() + 60_000) });
    const refused = await queueOne();
    world.clock.advance(120_000);
    await deliverQueued(world.deps, sms(sent));
    await deliverQueued(world.deps, sms(sent));
    await deliverQueued(world.deps, sms(decoy));
    await deliverQueued(world.deps, sms(late));
    await deliverQueued(world.deps, sms('no-such-sms'));
    world.deps.sms = { send: () => Promise.reject(new SmsRefusedError('DESTINATION_COUNTRY_BLOCKED')) };
    await deliverQueued(world.deps, sms(refused));

    const outcomes = ['sent', 'duplicate', 'dropped', 'expired', 'missing', 'refused'];
    expect(outcomes.map((outcome) => world.metrics.total('SmsDelivered', { outcome }))).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it('counts nothing for a failed send the queue will deliver again', async () => {
    const id = await queueOne();
    world.deps.sms = { send: () => Promise.reject(new Error('provider timed out')) };

    await expect(deliverQueued(world.deps, sms(id))).rejects.toThrow('provider timed out');

    expect(world.metrics.total('SmsDelivered')).toBe(0);
  });

  it('gives a failed send back for the queue to deliver again', async () => {
    const id = await queueOne();
    const real = world.deps.sms;
    world.deps.sms = { send: () => Promise.reject(new Error('provider timed out')) };
    await expect(deliverQueued(world.deps, sms(id))).rejects.toThrow('provider timed out');
    world.deps.sms = real;
    expect(await deliverQueued(world.deps, sms(id))).toBe('sent');
  });
});

describe('an SMS queued by the previous release', () => {
  // During a deploy, codes queued by the old code wait in the table without a channel (it was SMS only then) and
  // in the queue in version 1: the new sender must still send them.
  it('is still sent: an outbox item without a channel is an SMS', async () => {
    const id = '0b0e3c52-7f0a-4d4b-9d43-2d6f0e1a9c11';
    await world.table.client.send(
      new PutCommand({
        TableName: world.table.tableName,
        Item: {
          ...keys.outbox(id),
          type: ENTITY.outbox,
          id,
          to: PHONE,
          body: 'code 654321',
          purpose: 'otp',
          decoy: false,
          queuedAt: world.clock.now().toISOString(),
          status: 'queued',
        },
      }),
    );
    expect(await deliverQueued(world.deps, readOutboundJob(JSON.stringify({ v: 1, kind: 'sms', id })))).toBe(
      'sent',
    );
    expect(world.sms.list(PHONE).map((m) => m.body)).toEqual(['code 654321']);
  });
});

describe('sending a queued e-mail', () => {
  const ADDRESS = 'kim@mail.example';
  const mail = {
    to: ADDRESS,
    subject: 'Reading received',
    text: 'Account 1234567890',
    purpose: 'reading-confirmation' as const,
  };

  /** The job of the e-mail queued last, queued through the real path. */
  async function queueMail(): Promise<{ kind: 'sms' | 'email'; id: string }> {
    const jobs: Array<{ kind: 'sms' | 'email'; id: string }> = [];
    const { outboundQueue } = world.deps;
    world.deps.outboundQueue = { enqueue: async (job) => void jobs.push(job) };
    try {
      await queueEmail(world.deps, mail);
    } finally {
      world.deps.outboundQueue = outboundQueue;
    }
    expect(jobs.map((job) => job.kind)).toEqual(['email']);
    return jobs[0] ?? { kind: 'email', id: '' };
  }

  it('sends it once through the e-mail provider, however often the job is delivered', async () => {
    const job = await queueMail();
    expect(await deliverQueued(world.deps, job)).toBe('sent');
    expect(await deliverQueued(world.deps, job)).toBe('duplicate');
    expect(world.email.list(ADDRESS).map((m) => [m.subject, m.text, m.purpose])).toEqual([
      ['Reading received', 'Account 1234567890', 'reading-confirmation'],
    ]);
    expect(world.sms.list()).toEqual([]);
    expect(world.metrics.total('EmailSent')).toBe(1);
    expect(world.metrics.total('SmsDelivered')).toBe(0);
  });

  // SES refused a confirmation (MessageRejected): three deliveries failed alike and the job waited in the
  // dead-letter queue for an operator, though sending it again could never work.
  it('records a refusal for good as refused, done, and not to be tried again', async () => {
    const job = await queueMail();
    let tries = 0;
    world.deps.email = {
      send: async () => {
        tries++;
        throw new EmailRefusedError('MessageRejected');
      },
    };
    expect(await deliverQueued(world.deps, job)).toBe('refused');
    expect(await deliverQueued(world.deps, job)).toBe('duplicate');
    expect(tries).toBe(1);
    expect(world.metrics.total('EmailRefused')).toBe(1);
  });

  it('gives a failed send (throttled) back for the queue to deliver again', async () => {
    const job = await queueMail();
    const ses = world.deps.email;
    world.deps.email = { send: () => Promise.reject(new Error('TooManyRequestsException')) };
    await expect(deliverQueued(world.deps, job)).rejects.toThrow('TooManyRequestsException');
    world.deps.email = ses;
    expect(await deliverQueued(world.deps, job)).toBe('sent');
    expect(world.email.list(ADDRESS)).toHaveLength(1);
  });
});

describe('the SmsOutbound queue while a provider stays down', () => {
  // An outage longer than the retries: the job must end in the dead-letter queue (where the SmsOutbound DLQ alarm
  // sees it), and the outbox item must still be there to send when an operator redrives the job.
  it('dead-letters the job after maxReceiveCount deliveries; a redrive once the provider is back sends it once', async () => {
    const queue = localConsumerQueue(smsOutboundConsumer, async () => world.deps, world.clock, world.metrics);
    const jobs: string[] = [];
    const queued: OutboundQueue = { enqueue: async (job) => void jobs.push(outboundMessageBody(job)) };
    await queueSms({ ...world.deps, outboundQueue: queued }, { to: PHONE, body: 'reply', purpose: 'reply' });
    const gateway = world.deps.sms;
    let attempts = 0;
    world.deps.sms = {
      send: async () => {
        attempts++;
        throw new Error('gateway answered 503');
      },
    };

    const delivery = await queue.send(jobs[0] ?? '');

    expect([delivery.status, delivery.receiveCount]).toEqual([
      'dead-lettered',
      smsOutboundConsumer.maxReceiveCount,
    ]);
    expect(attempts).toBe(smsOutboundConsumer.maxReceiveCount);
    expect(queue.deadLetters.map((letter) => letter.body)).toEqual(jobs);
    world.deps.sms = gateway;
    expect((await queue.send(queue.deadLetters[0]?.body ?? '')).status).toBe('processed');
    expect(world.sms.list(PHONE).map((m) => [m.body, m.purpose])).toEqual([['reply', 'reply']]);
  });
});
