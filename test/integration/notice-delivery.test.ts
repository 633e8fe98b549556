// Delivery reports on DynamoDB Local: End User Messaging events through the consumer, gateway reports through the
// signed webhook; each changes its notice and the run's counts once, whatever the order or repetition.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoNoticeStore } from '#adapters/dynamo/notice-store';
import { needsMessagePointers } from '#app/notice-delivery';
import { noticeRunReport } from '#app/notice-report';
import { startNoticeRun } from '#app/notice-runs';
import type { UtilityConfig } from '#config/schema';
import { signGatewayBody } from '#domain/gateway-signature';
import { noticeId } from '#domain/notice';
import { route } from '#handlers/http/sms-delivery-report-webhook';
import { smsDeliveryEventsConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { localNoticeQueues } from '../../bin/local/local-deps.ts';
import { TEST_GATEWAY_SECRET, type TestWorld, testWorld } from '../support/deps.ts';
import { call, problemType } from '../support/http.ts';
import { type Recipient, seedRecipients } from '../support/notices.ts';

const PERIOD = '2026-12';
const RUN = { kind: 'bill', ref: PERIOD } as const;
let world: TestWorld;
let recipients: Recipient[];

const idOf = (r: Recipient) =>
  noticeId({ ...RUN, accountNumber: r.account.accountNumber, phone: r.subscription.phone });

/** A fixture under test/fixtures/events about `key`, with the given changes. */
function eumEvent(name: string, key: string, changes: Record<string, unknown> = {}): string {
  const event = JSON.parse(
    readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), 'utf8').replace(
      'NOTICE_ID',
      key,
    ),
  );
  return JSON.stringify({ ...event, ...changes });
}

let sequence = 0;
function sqsRecord(body: string): SQSRecord {
  sequence++;
  return {
    messageId: `delivery-${sequence}`,
    receiptHandle: `r-${sequence}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(world.clock.now().getTime()),
      SenderId: 'sns',
      ApproximateFirstReceiveTimestamp: String(world.clock.now().getTime()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ru-central-1:123456789012:delivery-events',
    awsRegion: 'ru-central-1',
  };
}

/** The delivery events consumer as Lambda runs it on one batch; answers the records that failed. */
async function consume(...bodies: string[]): Promise<string[]> {
  const records = bodies.map(sqsRecord);
  const response = await runSqsBatch(
    smsDeliveryEventsConsumer.handleRecord,
    { Records: records },
    async () => world.deps,
  );
  return response.batchItemFailures.map((f) =>
    records.findIndex((r) => r.messageId === f.itemIdentifier).toString(),
  );
}

const report = () => noticeRunReport(world.deps, { kind: 'bill', period: PERIOD });

async function sendRun() {
  const queues = localNoticeQueues(async () => world.deps, world.deps.config, world.clock, world.metrics);
  world.deps.noticeQueues = queues;
  await startNoticeRun(world.deps, { kind: 'bill', period: PERIOD });
  await queues.idle();
}

beforeEach(async () => {
  // The notice day in Tyumen: 10:00 local on 2026-12-12; every notice goes by SMS.
  world = await testWorld('tyumen-power', new Date('2026-12-12T05:00:00Z'));
  recipients = await seedRecipients(world.deps, { count: 3, period: PERIOD });
  await sendRun();
  world.clock.advance(60_000);
});

describe('End User Messaging delivery events', () => {
  it('record a delivered notice once, however often SNS and SQS deliver the event', async () => {
    // SNS delivers at least once and SQS may hand the same message to two pollers: the count must not grow.
    const [first] = recipients.map(idOf);
    const event = eumEvent('eum-text-delivered', first as string);

    expect(await consume(event)).toEqual([]);
    expect(await consume(event, event)).toEqual([]);

    expect(await world.deps.notices.get(first as string)).toMatchObject({
      outcome: 'sent',
      delivery: 'delivered',
      deliveryAt: Date.parse('2026-12-12T06:51:00Z'),
    });
    const { counts, delivery } = await report();
    expect(counts.delivered).toEqual({ sms: 1, messenger: 0 });
    expect(delivery.sms).toEqual({ sent: 3, delivered: 1, failed: 0, awaiting: 2 });
    expect(world.metrics.total('SmsDeliveryReported', { outcome: 'delivered' })).toBe(1);
    expect(world.metrics.total('SmsDeliveryReported', { outcome: 'unchanged' })).toBe(2);
  });

  it('count a failure by its reason, and move it to delivered when the carrier delivers late', async () => {
    // The phone was off; End User Messaging gave up (TTL expired), then the carrier's late receipt came in.
    const [, second] = recipients.map(idOf);
    const key = second as string;
    await consume(eumEvent('eum-text-ttl-expired', key));
    expect((await report()).counts.failed.sms).toEqual({ expired: 1 });

    await consume(eumEvent('eum-text-delivered', key));
    // A failure after the receipt (out of order) changes nothing.
    await consume(eumEvent('eum-text-carrier-unreachable', key, { isFinal: true }));

    const after = await report();
    expect(after.counts.failed.sms).toEqual({ expired: 0 });
    expect(after.delivery.sms).toEqual({ sent: 3, delivered: 1, failed: 0, awaiting: 2 });
    expect(await world.deps.notices.get(key)).toMatchObject({ delivery: 'delivered' });
    expect((await world.deps.notices.get(key))?.deliveryReason).toBeUndefined();
  });

  it('leave the counts alone while a failure is not final, and drop events for codes and unknown notices', async () => {
    const [first] = recipients.map(idOf);
    const stranger = noticeId({ ...RUN, accountNumber: '1299999999', phone: '+79120000000' });

    expect(
      await consume(
        eumEvent('eum-text-carrier-unreachable', first as string),
        eumEvent('eum-text-delivered-code', 'unused'),
        eumEvent('eum-text-delivered', stranger),
      ),
    ).toEqual([]);

    const { counts } = await report();
    expect(counts.delivered).toEqual({ sms: 0, messenger: 0 });
    expect(counts.failed).toEqual({ sms: {}, messenger: {} });
    expect(world.metrics.total('SmsDeliveryReported', { outcome: 'not-final' })).toBe(1);
    expect(world.metrics.total('SmsDeliveryReported', { outcome: 'unmatched' })).toBe(2);
  });

  it("are tried again when they arrive before the notice's outcome is recorded", async () => {
    // A sender claimed a notice and the provider took it, but its record is not written yet.
    const next = noticeId({ ...RUN, accountNumber: '1299999999', phone: '+79120000000' });
    await world.deps.notices.claim(
      { ...RUN, id: next, accountNumber: '1299999999', phone: '+79120000000', subscriptionId: 'sub-x' },
      world.clock.now().getTime(),
    );

    expect(await consume(eumEvent('eum-text-delivered', next))).toEqual(['0']);
  });
});

describe('ops notices report', () => {
  it('prints what the carriers reported: delivered, failed by reason, and awaiting a report', async () => {
    // An operator checks the day after: one phone was switched off all along, one got it, one has not reported.
    const [first, second] = recipients.map(idOf);
    await consume(
      eumEvent('eum-text-delivered', first as string),
      eumEvent('eum-text-carrier-unreachable', second as string, { isFinal: true }),
    );

    const printed = spawnSync(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'bin/ops.ts',
        'notices',
        'report',
        '--utility',
        'tyumen-power',
      ].concat(['--period', PERIOD, '--endpoint', world.table.endpoint, '--table', world.table.tableName]),
      { encoding: 'utf8', timeout: 60_000 },
    );

    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain('  delivered      1 (sms 1, messenger 0)\n');
    expect(printed.stdout).toContain('  failed         1 (sms: unreachable 1)\n');
    expect(printed.stdout).toContain('  awaiting       1 (sms 1, messenger 0: sent, no final report yet)\n');
  }, 60_000);
});

describe('a gateway delivery report (POST /sms/delivery-reports/{gateway})', () => {
  const signed = (body: string, secret = TEST_GATEWAY_SECRET) =>
    signGatewayBody(body, secret, { algorithm: 'hmac-sha256', encoding: 'base64' });
  /** Tyumen's aggregator posts a form, like its inbound SMS, signed the same way. */
  const form = (fields: Record<string, string>) =>
    new URLSearchParams({
      date: String(Math.floor(world.clock.now().getTime() / 1000)),
      ...fields,
    }).toString();
  const post = (body: string, signature = signed(body), gateway = 'ru-aggregator') =>
    call(route, world.deps, {
      method: 'POST',
      path: `/sms/delivery-reports/${gateway}`,
      routePath: '/sms/delivery-reports/{gateway}',
      pathParameters: { gateway },
      rawBody: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-sms-signature': signature },
    });

  it('records the failure on the notice named by our reference, once, however often the gateway retries', async () => {
    const [first] = recipients.map(idOf);
    const body = form({ client_id: first as string, id: 'RU-1', status: 'undelivered', error: 'absent' });

    expect((await post(body)).status).toBe(202);
    expect((await post(body)).status).toBe(202);

    expect(await world.deps.notices.get(first as string)).toMatchObject({
      delivery: 'failed',
      deliveryReason: 'unreachable',
    });
    expect((await report()).counts.failed.sms).toEqual({ unreachable: 1 });
  });

  it('refuses a body its signature does not cover (401), queueing nothing', async () => {
    const [first] = recipients.map(idOf);
    const body = form({ client_id: first as string, status: 'delivered' });

    const response = await post(body, signed(`${body}&status=undelivered`));

    expect(response.status).toBe(401);
    expect(response.json.type).toBe(problemType('invalid-signature'));
    expect((await report()).counts.delivered.sms).toBe(0);
  });

  it('answers 400 naming the field for a report without a status, and 404 for a gateway the config lacks', async () => {
    const [first] = recipients.map(idOf);
    const body = form({ client_id: first as string });

    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      type: problemType('invalid-gateway-payload'),
      errors: [{ field: 'body.status', message: 'missing' }],
    });
    expect((await post(body, signed(body), 'elsewhere')).status).toBe(404);
  });

  it('finds the notice by the gateway message id where the profile maps no reference', async () => {
    // This aggregator's reports carry only its own message id: each SMS notice keeps a pointer to find it by.
    const [profile] = world.deps.config.channels.sms.inboundGateways;
    if (!profile?.deliveryReports) throw new Error('Tyumen has a delivery-report profile');
    const config: UtilityConfig = {
      ...world.deps.config,
      channels: {
        ...world.deps.config.channels,
        sms: {
          ...world.deps.config.channels.sms,
          inboundGateways: [
            {
              ...profile,
              deliveryReports: {
                ...profile.deliveryReports,
                fields: { messageId: 'id', status: 'status', reportedAt: 'date' },
              },
            },
          ],
        },
      },
    };
    expect(needsMessagePointers(config)).toBe(true);
    world = await testWorld('tyumen-power', new Date('2026-12-12T05:00:00Z'));
    world.deps.config = config;
    world.deps.notices = new DynamoNoticeStore(world.table.client, world.table.tableName, {
      messagePointers: true,
    });
    recipients = await seedRecipients(world.deps, { count: 2, period: PERIOD });
    await sendRun();
    const [first] = recipients.map(idOf);
    const sent = await world.deps.notices.get(first as string);

    const body = form({ id: sent?.providerMessageId ?? '', status: 'delivered' });
    expect((await post(body)).status).toBe(202);

    expect(await world.deps.notices.get(first as string)).toMatchObject({ delivery: 'delivered' });
    expect((await report()).delivery.sms).toMatchObject({ sent: 2, delivered: 1 });
  });
});
