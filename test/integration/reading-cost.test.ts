// What a reading costs in DynamoDB calls, and how the reading path asks for what it reads: counted on the test
// table's client, through the same SMS consumer and HTTP route that run in Lambda.
import { beforeEach, describe, expect, it } from 'vitest';
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
