// The outbound queue's sender: each queued SMS sent at most once per claim, decoys and expired codes dropped, a
// refusal for good recorded rather than retried into the dead-letter queue.
import { beforeEach, describe, expect, it } from 'vitest';
import { deliverQueuedSms, queueSms, SmsInProgressError } from '#app/outbound';
import { SmsRefusedError } from '#app/ports';
import { type TestWorld, testWorld } from '#test/support/deps';

let world: TestWorld;
const PHONE = '+821012345678';

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
});

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
    expect(await deliverQueuedSms(world.deps, id)).toBe('sent');
    expect(await deliverQueuedSms(world.deps, id)).toBe('duplicate');
    expect(world.sms.list(PHONE).map((m) => m.body)).toEqual(['code 123456']);
  });

  it('drops a decoy and a code that expired while queued, unsent', async () => {
    const decoy = await queueOne({ decoy: true });
    const late = await queueOne({ notAfter: new Date(world.clock.now().getTime() + 60_000) });
    world.clock.advance(120_000);
    expect(await deliverQueuedSms(world.deps, decoy)).toBe('dropped');
    expect(await deliverQueuedSms(world.deps, late)).toBe('expired');
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
    expect(await deliverQueuedSms(world.deps, id)).toBe('refused');
    expect(await deliverQueuedSms(world.deps, id)).toBe('duplicate');
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
    await expect(deliverQueuedSms(world.deps, id)).rejects.toThrow('the worker died');
    world.deps.outbox = outbox;

    world.clock.advance(60_000);
    await expect(deliverQueuedSms(world.deps, id)).rejects.toThrow(SmsInProgressError);
    world.clock.advance(1);
    expect(await deliverQueuedSms(world.deps, id)).toBe('sent');
    expect(await deliverQueuedSms(world.deps, id)).toBe('duplicate');
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
    await deliverQueuedSms(world.deps, sent);
    await deliverQueuedSms(world.deps, sent);
    await deliverQueuedSms(world.deps, decoy);
    await deliverQueuedSms(world.deps, late);
    await deliverQueuedSms(world.deps, 'no-such-sms');
    world.deps.sms = { send: () => Promise.reject(new SmsRefusedError('DESTINATION_COUNTRY_BLOCKED')) };
    await deliverQueuedSms(world.deps, refused);

    const outcomes = ['sent', 'duplicate', 'dropped', 'expired', 'missing', 'refused'];
    expect(outcomes.map((outcome) => world.metrics.total('SmsDelivered', { outcome }))).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it('counts nothing for a failed send the queue will deliver again', async () => {
    const id = await queueOne();
    world.deps.sms = { send: () => Promise.reject(new Error('provider timed out')) };

    await expect(deliverQueuedSms(world.deps, id)).rejects.toThrow('provider timed out');

    expect(world.metrics.total('SmsDelivered')).toBe(0);
  });

  it('gives a failed send back for the queue to deliver again', async () => {
    const id = await queueOne();
    const real = world.deps.sms;
    world.deps.sms = { send: () => Promise.reject(new Error('provider timed out')) };
    await expect(deliverQueuedSms(world.deps, id)).rejects.toThrow('provider timed out');
    world.deps.sms = real;
    expect(await deliverQueuedSms(world.deps, id)).toBe('sent');
  });
});
