// The reading path on the table itself: how it asks for what it reads, what it costs in DynamoDB calls (recorded
// on the test table's client, through the same SMS consumer that runs in Lambda), and windows earlier versions stored.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { type DynamoCall, recordDynamoCalls } from '#test/support/dynamo';
import { inboundEvent, inboundRecord } from '#test/support/sqs';

const ACCOUNT = '1234567834';
const PHONE = '+79123456789';
let world: TestWorld;
let calls: DynamoCall[];
let sent = 0;

/** One inbound SMS through the consumer; the replies it sent. */
async function sms(body: string) {
  sent++;
  const event = inboundEvent(
    inboundRecord({ messageId: `cost-${sent}`, from: PHONE, to: '+79037672060', body }, world.clock.now()),
  );
  const response = await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);
  expect(response.batchItemFailures).toEqual([]);
  return world.sms.list(PHONE).filter((m) => m.purpose === 'reply');
}

beforeEach(async () => {
  // 10:00 on 2026-12-16 in Yekaterinburg: inside the 15th-25th window.
  world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
  await world.deps.accounts.putMany([
    anAccount({
      accountNumber: ACCOUNT,
      district: 'tmn-central',
      phones: [PHONE],
      meters: [{ id: 'EM-2', kind: 'single', unit: 'kWh', registers: ['total'] }],
    }),
  ]);
  calls = recordDynamoCalls(world.table.client);
});

describe('the reading path on DynamoDB', () => {
  // An eventually consistent read of the account could return a window's guard without the reading it names (or
  // an older state of the readings), and the next reading superseded the wrong ones: two readings counted.
  // DynamoDB Local is always consistent, so the read's request is what can be checked here.
  it('reads the account with a strongly consistent query', async () => {
    expect(await sms(`${ACCOUNT} 1234`)).toEqual([]);
    const queries = calls.filter((c) => c.operation === 'Query');
    expect(queries).toHaveLength(1);
    expect(queries[0]?.input).toMatchObject({ ConsistentRead: true });
  });
});

describe('what a reading by SMS costs', () => {
  /** The operations of the calls recorded since the last look, in order; the record starts again. */
  const operations = () => calls.splice(0).map((c) => c.operation);

  // The reading path once took five or six calls a message; the performance notes and the capacity they plan for
  // rest on it taking one read and one write, so any call added to it shows here first.
  it('an accepted reading: one Query of the account and one TransactWriteItems', async () => {
    expect(await sms(`${ACCOUNT} 1234`)).toEqual([]);
    expect(operations()).toEqual(['Query', 'TransactWriteItems']);
    world.clock.advance(60_000);
    expect(await sms(`${ACCOUNT} 1240`)).toEqual([]);
    expect(operations()).toEqual(['Query', 'TransactWriteItems']);
  });

  /** What queueing and sending one reply adds: its outbox item, then the outbound sender's claim and done mark. */
  const REPLY = ['PutItem', 'UpdateItem', 'UpdateItem'];

  it("a refused reading: one Query, one PutItem (the done mark), one UpdateItem (the reply's daily count), and the reply's outbox item", async () => {
    expect(await sms(`${ACCOUNT} 1234 187`)).toHaveLength(1);
    expect(operations()).toEqual(['Query', 'PutItem', 'UpdateItem', ...REPLY]);
  });

  it("a reading over the window's cap: the same calls as any refused reading, none extra to count", async () => {
    world.deps.config = {
      ...world.deps.config,
      readings: { ...world.deps.config.readings, maxPerWindow: 2 },
    };
    for (const total of [100, 110]) {
      world.clock.advance(60_000);
      expect(await sms(`${ACCOUNT} ${total}`)).toEqual([]);
    }
    calls.splice(0);
    world.clock.advance(60_000);
    expect(await sms(`${ACCOUNT} 120`)).toHaveLength(1);
    expect(operations()).toEqual(['Query', 'PutItem', 'UpdateItem', ...REPLY]);
  });
});

describe('windows stored before their guard counted readings', () => {
  // Guards written by the version before the cap name the counting reading but hold no count: the next reading
  // of such a window must be taken (not refused as busy for ever), and the guard counts from then on.
  it('takes the next reading of the window and counts every reading it holds from then on', async () => {
    expect(await sms(`${ACCOUNT} 100`)).toEqual([]);
    await world.table.client.send(
      new UpdateCommand({
        TableName: world.table.tableName,
        Key: keys.readingWindow(ACCOUNT, 'EM-2', '2026-12'),
        UpdateExpression: 'REMOVE #count',
        ExpressionAttributeNames: { '#count': 'count' },
      }),
    );
    expect((await world.deps.readings.context(ACCOUNT))?.windows[0]?.count).toBeUndefined();
    world.clock.advance(60_000);
    expect(await sms(`${ACCOUNT} 110`)).toEqual([]);
    const context = await world.deps.readings.context(ACCOUNT);
    expect(context?.readings.map((r) => [r.values.total, r.status])).toEqual([
      [110, 'accepted'],
      [100, 'superseded'],
    ]);
    expect(context?.windows).toEqual([
      { meterId: 'EM-2', period: '2026-12', readingId: context?.readings[0]?.id, count: 2 },
    ]);
  });
});
