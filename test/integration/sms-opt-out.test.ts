import type { SQSEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import type { Deps, SubscriptionStore } from '#app/ports';
import { signUp, verifySubscription } from '#app/subscriptions';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { anAccount } from '#test/support/builders';
import { lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { inboundEvent, inboundRecord } from '#test/support/sqs';
import { addPhoneCall, verifyCall } from '#test/support/subscription-calls';

const ACCOUNT = '1234567833';
const PHONE = '+79123456789';
let world: TestWorld;

function sqsEvent(...messages: Array<{ id: string; from?: string; body: string; sentAt?: Date }>): SQSEvent {
  return inboundEvent(
    ...messages.map((m) =>
      inboundRecord(
        { messageId: m.id, from: m.from ?? PHONE, to: '+79037672060', body: m.body },
        m.sentAt ?? world.clock.now(),
      ),
    ),
  );
}

const deliver = (event: SQSEvent, deps: Deps = world.deps) =>
  runSqsBatch(smsInboundConsumer.handleRecord, event, async () => deps);
const statusOf = async (id: string) => (await world.deps.subscriptions.get(id))?.status;
const replies = () => world.sms.list(PHONE).filter((m) => m.purpose === 'reply');

async function activeSubscription(accountNumber = ACCOUNT): Promise<string> {
  const { id } = await signUp(world.deps, {
    accountNumber,
    phone: PHONE,
    channel: 'sms',
    language: 'ru',
    consentVersion: '2026-11',
    client: '192.0.2.10',
  });
  await verifySubscription(world.deps, id, lastCode(world.sms, PHONE));
  return id;
}

/** The world's subscription store, except that the `nth` call of `method` fails, once (a throttled write, a timeout). */
function failingOnce(method: 'end' | 'activate', nth: number): Deps {
  const real = world.deps.subscriptions;
  let calls = 0;
  const flaky: SubscriptionStore = Object.assign(Object.create(real) as SubscriptionStore, {
    [method]: async (...args: Parameters<SubscriptionStore[typeof method]>) => {
      calls++;
      if (calls === nth) throw new Error('ProvisionedThroughputExceededException');
      return (real[method] as (...a: typeof args) => Promise<unknown>).apply(real, args);
    },
  });
  return { ...world.deps, subscriptions: flaky };
}

beforeEach(async () => {
  world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
  await world.deps.accounts.putMany([
    anAccount({ accountNumber: ACCOUNT, district: 'tmn-central', phones: [PHONE] }),
    anAccount({ accountNumber: '1234567834', district: 'tmn-central', phones: [PHONE] }),
  ]);
});

describe('STOP and START by SMS', () => {
  it('СТОП ends every subscription of the phone, records the opt-out and replies once in Russian', async () => {
    const first = await activeSubscription();
    const second = await activeSubscription('1234567834');
    const response = await deliver(sqsEvent({ id: 'in-1', body: 'СТОП' }));
    expect(response.batchItemFailures).toEqual([]);
    expect([await statusOf(first), await statusOf(second)]).toEqual(['opted-out', 'opted-out']);
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(true);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]?.body).toMatch(/уведомления отключены/);
    const stopped = await world.deps.subscriptions.get(first);
    expect(stopped).toMatchObject({ endedBy: 'sms', endedAt: expect.any(String) });
  });

  it('START resumes them, from the bill the cutoff rule gives for today', async () => {
    const id = await activeSubscription();
    await deliver(sqsEvent({ id: 'in-1', body: 'stop' }));
    world.clock.set(new Date('2027-01-20T05:00:00Z'));
    await deliver(sqsEvent({ id: 'in-2', body: 'Старт' }));
    expect(await world.deps.subscriptions.get(id)).toMatchObject({
      status: 'active',
      effectiveMonth: '2027-02',
    });
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(false);
    expect(replies()[0]?.body).toMatch(/снова включены/);
  });

  it('reads a national-format sender and full-width keywords', async () => {
    const id = await activeSubscription();
    await deliver(sqsEvent({ id: 'in-1', from: '8 912 345-67-89', body: 'ＳＴＯＰ' }));
    expect(await statusOf(id)).toBe('opted-out');
  });

  it('changes nothing and sends no second reply when the same message is delivered again, interleaved', async () => {
    const id = await activeSubscription();
    const sent = world.clock.now().getTime();
    // The resident sent STOP, then START a second later; each arrives several times, in any order.
    const stop = { id: 'dup-stop', body: 'STOP', sentAt: new Date(sent) };
    const start = { id: 'dup-start', body: 'START', sentAt: new Date(sent + 1_000) };
    // They are processed a few seconds after they were sent (a send time ahead of the clock would be clamped).
    world.clock.advance(5_000);
    await deliver(sqsEvent(stop, stop));
    await deliver(sqsEvent(start));
    await deliver(sqsEvent(stop, stop, stop));
    await Promise.all([deliver(sqsEvent(stop)), deliver(sqsEvent(start))]);
    expect(await statusOf(id)).toBe('active');
    expect(replies()).toHaveLength(2);
  });

  it('finishes a STOP that failed part-way when SQS delivers it again, and replies once', async () => {
    // The second subscription's write fails (throttled) after the opt-out and the first one are written; SQS
    // delivers the message again, and that delivery must stop the rest instead of taking it for an old STOP.
    const ids = [await activeSubscription(), await activeSubscription('1234567834')];
    const stop = sqsEvent({ id: 'in-1', body: 'STOP' });

    const first = await deliver(stop, failingOnce('end', 2));
    expect(first.batchItemFailures).toHaveLength(1);
    expect((await Promise.all(ids.map(statusOf))).sort()).toEqual(['active', 'opted-out']);
    expect(replies()).toEqual([]);

    const again = await deliver(stop);
    expect(again.batchItemFailures).toEqual([]);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['opted-out', 'opted-out']);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]?.body).toMatch(/уведомления отключены/);
    await deliver(stop);
    expect(replies()).toHaveLength(1);
  });

  it('finishes a START that failed part-way when SQS delivers it again, and replies once', async () => {
    const ids = [await activeSubscription(), await activeSubscription('1234567834')];
    await deliver(sqsEvent({ id: 'in-1', body: 'STOP' }));
    world.clock.advance(60_000);
    const start = sqsEvent({ id: 'in-2', body: 'START' });

    const first = await deliver(start, failingOnce('activate', 2));
    expect(first.batchItemFailures).toHaveLength(1);
    expect((await Promise.all(ids.map(statusOf))).sort()).toEqual(['active', 'opted-out']);
    expect(replies()).toHaveLength(1);

    await deliver(start);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['active', 'active']);
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(false);
    expect(replies()).toHaveLength(2);
    expect(replies()[0]?.body).toMatch(/снова включены/);
  });

  it('stops a pending sign-up too, so confirming its code later cannot restart notices', async () => {
    const { id } = await signUp(world.deps, {
      accountNumber: ACCOUNT,
      phone: PHONE,
      channel: 'sms',
      language: 'ru',
      consentVersion: '2026-11',
      client: '192.0.2.10',
    });
    const code = lastCode(world.sms, PHONE);
    await deliver(sqsEvent({ id: 'in-1', body: 'STOP' }));
    expect(await statusOf(id)).toBe('opted-out');
    await verifySubscription(world.deps, id, code);
    expect(await statusOf(id)).toBe('opted-out');
  });

  it('takes a new sign-up confirmed after a STOP as a fresh opt-in', async () => {
    await deliver(sqsEvent({ id: 'in-1', body: 'STOP' }));
    world.clock.advance(60_000);
    const id = await activeSubscription();
    expect(await statusOf(id)).toBe('active');
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(false);
  });

  it('follows the order the resident sent STOP and START in, not the order they are processed', async () => {
    const id = await activeSubscription();
    const t0 = world.clock.now().getTime();
    // START sent after STOP, but processed first; the older STOP then changes nothing.
    await deliver(sqsEvent({ id: 'stop', body: 'STOP' }));
    world.clock.advance(5_000);
    await deliver(sqsEvent({ id: 'start', body: 'START', sentAt: new Date(t0 + 2_000) }));
    await deliver(sqsEvent({ id: 'late-stop', body: 'STOP', sentAt: new Date(t0 + 1_000) }));
    expect(await statusOf(id)).toBe('active');
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(false);
  });

  it('never lets a send time ahead of its own clock order STOP and START', async () => {
    // A message queued with a time in 2100 (an SNS envelope, or a gateway message queued by an older webhook):
    // kept, that STOP would outrank every START the resident sends afterwards.
    const id = await activeSubscription();
    await deliver(sqsEvent({ id: 'stop-2100', body: 'STOP', sentAt: new Date('2100-01-01T00:00:00Z') }));
    world.clock.advance(60_000);
    await deliver(sqsEvent({ id: 'start', body: 'START' }));
    expect(await statusOf(id)).toBe('active');
    expect(await world.deps.optOuts.isOptedOut(PHONE)).toBe(false);
  });

  it('says so when START cannot resume a subscription, and resumes the newest first', async () => {
    const older = await activeSubscription();
    await deliver(sqsEvent({ id: 'stop', body: 'STOP' }));
    world.clock.advance(60_000);
    const newer = await activeSubscription();
    await deliver(sqsEvent({ id: 'stop-2', body: 'STOP' }));
    world.clock.advance(60_000);
    await deliver(sqsEvent({ id: 'start', body: 'START' }));
    expect([await statusOf(newer), await statusOf(older)]).toEqual(['active', 'opted-out']);
    expect(replies()[0]?.body).toMatch(/включить не удалось/);
  });

  it('does not resume a sign-up of its own for an account the phone is no longer registered on', async () => {
    // The phone stopped its notices, then the second account's holder changed and the phone left that account
    // (an import that did not get to end its subscriptions). START must not send the new holder's bill to it;
    // the holder's own choices still resume.
    const kept = await activeSubscription();
    const dropped = await activeSubscription('1234567834');
    const HOLDERS = '1234567835';
    await world.deps.accounts.putMany([
      anAccount({ accountNumber: HOLDERS, district: 'tmn-central', phones: [] }),
    ]);
    const token = grantToken(world.deps, 'account', HOLDERS).accessToken;
    const added = await addPhoneCall(world.deps, HOLDERS, token, PHONE, { language: 'ru' });
    const household = String(added.json.id);
    await verifyCall(world.deps, household, lastCode(world.sms, PHONE));
    expect(await statusOf(household)).toBe('active');
    await deliver(sqsEvent({ id: 'stop', body: 'STOP' }));
    await world.deps.accounts.putMany([
      anAccount({ accountNumber: '1234567834', district: 'tmn-central', phones: ['+79220001122'] }),
    ]);
    world.clock.advance(60_000);

    await deliver(sqsEvent({ id: 'start', body: 'START' }));

    expect([await statusOf(kept), await statusOf(household), await statusOf(dropped)]).toEqual([
      'active',
      'active',
      'opted-out',
    ]);
    expect(replies()[0]?.body).toMatch(/включить не удалось/);
  });

  it('answers any other text with the format, and blank text with nothing', async () => {
    await deliver(sqsEvent({ id: 'in-1', body: 'hello?' }));
    expect(replies()[0]?.body).toMatch(/сообщение не распознано\. Формат/);
    await deliver(sqsEvent({ id: 'in-2', body: '   ' }));
    expect(replies()).toHaveLength(1);
  });

  it('reports an unreadable record as a batch item failure and still processes the others', async () => {
    const id = await activeSubscription();
    const event = sqsEvent({ id: 'good', body: 'STOP' });
    const bad = {
      ...(event.Records[0] as SQSEvent['Records'][number]),
      messageId: 'broken',
      body: '{"Type":"Notification","Message":"{}"}',
    };
    const response = await deliver({ Records: [bad, ...event.Records] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'broken' }]);
    expect(await statusOf(id)).toBe('opted-out');
  });
});

describe('every sender honours the opt-out', () => {
  it('does not send a notice to a phone that opted out, here or at the provider; codes still go', async () => {
    await deliver(sqsEvent({ id: 'in-1', body: 'STOP' }));
    // The SMS sender the composition root wires: every message goes through it.
    await expect(
      world.deps.sms.send({ to: PHONE, body: 'Bill for December', purpose: 'notice' }),
    ).resolves.toEqual({
      messageId: '',
      suppressed: 'opted-out',
    });
    await world.deps.sms.send({ to: PHONE, body: 'code 123456', purpose: 'otp' });
    expect(world.sms.list(PHONE).map((m) => m.purpose)).toEqual(['otp', 'reply']);

    const providerSays = new OptOutAwareSms(
      world.sms,
      world.deps.optOuts,
      { isOptedOut: async () => true },
      world.deps.config.country,
    );
    const other = '+79220001122';
    await expect(providerSays.send({ to: other, body: 'Bill', purpose: 'notice' })).resolves.toMatchObject({
      suppressed: 'opted-out',
    });
    expect(world.sms.list(other)).toEqual([]);
  });
});
