// Benchmark: a bill notice run for 100,000 subscribers through the local pipeline (planner queue -> notice-plan
// consumer -> notice queue -> notice-send consumer -> DynamoDB Local -> a provider that answers at once). Prints
// notices per second and, measured in the same run on the same store at the same concurrency, the rate of raw
// conditional PutItems; DynamoDB, SQS and provider calls per notice; duplicates and losses counted from the outbox;
// and what 1,000,000 notices cost in AWS at list prices, carrier fees excluded. No assertions.
import './quiet-env.ts';
import { performance } from 'node:perf_hooks';
import { startingClock } from '#adapters/clock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LocalNoticeQueues } from '#adapters/local/local-notice-queues';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { noticeRunReport } from '#app/notice-report';
import { startNoticeRun } from '#app/notice-runs';
import { loadUtilityConfig } from '#config/load';
import { fanOutShard } from '#domain/subscription';
import { noticePlanConsumer, noticeSendConsumer } from '#handlers/sqs/consumers';
import { startDynamoLocal } from '../bin/local/dynamo-local.ts';
import { createLocalDeps, localConsumerQueue } from '../bin/local/local-deps.ts';
import { aBill, anAccount, aSubscription } from '../test/support/builders.ts';
import { countDynamoCalls, countDynamoUnits } from './dynamo-calls.ts';
import { rawPutRate } from './raw-put.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
/** Senders at once: the event source's maximum concurrency for a provider taking 160 messages a second. */
const MESSAGES_PER_SECOND = Number(process.env.BENCH_MPS ?? 160);
const PERIOD = '2026-12';

/**
 * AWS list prices, us-east-1, as published on 2026-12-01 (see docs/performance.md): per call or unit, USD.
 * Carrier fees (the SMS or messenger message itself) are not AWS's and are left out.
 */
const PRICES = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
};

async function main() {
  const demo = loadUtilityConfig('tyumen-power');
  const config = { ...demo, notices: { ...demo.notices, messagesPerSecond: MESSAGES_PER_SECOND } };
  // 10:00 on the notice day in Yekaterinburg.
  const clock = startingClock(new Date('2026-12-12T05:00:00Z'));
  const dynamo = await startDynamoLocal();
  try {
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(client, 'bench');
    const sms = new LocalSmsGateway(clock, () => {}, SUBSCRIBERS * 2);
    const sqs = { sendMessage: 0, sendMessageBatch: 0, deliveries: 0 };
    const planQueue = localConsumerQueue(noticePlanConsumer, async () => deps, clock, countingMetrics(), 4);
    const sendConcurrency = noticeSendConsumer.maxConcurrency?.(config) ?? 2;
    const sendQueue = localConsumerQueue(
      noticeSendConsumer,
      async () => deps,
      clock,
      countingMetrics(),
      sendConcurrency,
    );
    const noticeQueues = new LocalNoticeQueues({
      plan: {
        send: (body) => {
          sqs.sendMessage++;
          return planQueue.send(body);
        },
        sendBatch: (bodies) => planQueue.sendBatch(bodies),
        idle: () => planQueue.idle(),
      },
      send: {
        send: (body) => sendQueue.send(body),
        sendBatch: (bodies) => {
          sqs.sendMessageBatch++;
          return sendQueue.sendBatch(bodies);
        },
        idle: () => sendQueue.idle(),
      },
    });
    const deps = createLocalDeps({
      client,
      tableName: 'bench',
      config,
      clock,
      sms,
      signingSecret: 'bench-signing-secret-bench-signing-secret-0123',
      noticeQueues,
    });

    console.log(`seeding ${SUBSCRIBERS} accounts, bills and active subscriptions...`);
    const seedStarted = performance.now();
    await seed(deps, SUBSCRIBERS);
    console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

    // The reference: one conditional PutItem per notice, as many in flight as the sender has.
    const rawCount = Math.max(2000, Math.floor(SUBSCRIBERS / 10));
    const rawRate = await rawPutRate(client, 'bench', rawCount, sendConcurrency);

    const calls = countDynamoCalls(client);
    const units = countDynamoUnits(client);
    const started = performance.now();
    await startNoticeRun(deps, { kind: 'bill', period: PERIOD });
    await noticeQueues.idle();
    const seconds = (performance.now() - started) / 1000;
    const dynamoCalls = calls.count;

    const notices = sms.list().filter((m) => m.purpose === 'notice');
    const perPhone = new Map<string, number>();
    for (const m of notices) perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
    const duplicates = [...perPhone.values()].reduce((total, n) => total + (n - 1), 0);
    const lost = SUBSCRIBERS - perPhone.size;
    const report = await noticeRunReport(deps, { kind: 'bill', period: PERIOD });
    const rate = SUBSCRIBERS / seconds;

    console.log(
      `DynamoDB Local ${dynamo.endpoint}; Node ${process.version}; sender concurrency ${sendConcurrency}`,
    );
    console.log(
      `${SUBSCRIBERS} bill notices in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} notices/s; ` +
        `raw conditional PutItem on the same store: ${rawRate.toFixed(0)} puts/s (${rawCount}); ` +
        `notices / raw = ${(rate / rawRate).toFixed(2)}`,
    );
    console.log(
      `sent ${notices.length}, distinct phones ${perPhone.size}, duplicates ${duplicates}, lost ${lost}; ` +
        `report: planned ${report.counts.planned}, sent ${report.counts.sent}, pending ${report.pending}`,
    );
    const perNotice = (n: number) => n / SUBSCRIBERS;
    const sqsCalls = sqs.sendMessage + sqs.sendMessageBatch;
    // In AWS the event source mapping also receives and deletes: about one ReceiveMessage and one
    // DeleteMessageBatch per batch of ten notices, and per planner message.
    const batches = Math.ceil(SUBSCRIBERS / 10) + sqs.sendMessage;
    const awsCalls = dynamoCalls + sqsCalls + 2 * batches + SUBSCRIBERS;
    console.log(
      `per notice: ${perNotice(dynamoCalls).toFixed(2)} DynamoDB calls, ${perNotice(sqsCalls + 2 * batches).toFixed(2)} SQS ` +
        `requests, 1 provider call, ${perNotice(awsCalls).toFixed(2)} AWS API calls in all (the provider's included)`,
    );

    const writeUnits = perNotice(units.write);
    const readUnits = perNotice(units.read);
    console.log(
      `DynamoDB units per notice (items under 1 KB): ${writeUnits.toFixed(2)} write, ${readUnits.toFixed(2)} read`,
    );
    const lambdaSeconds = batches * 1.0 * 0.5; // a batch of ten about a second at 512 MB
    const usd =
      1e6 *
      (writeUnits * PRICES.dynamoWriteUnit +
        readUnits * PRICES.dynamoReadUnit +
        perNotice(sqsCalls + 2 * batches) * PRICES.sqsRequest +
        perNotice(batches) * PRICES.lambdaRequest +
        perNotice(lambdaSeconds) * PRICES.lambdaGbSecond);
    console.log(`USD per 1,000,000 notices in AWS, carrier fees excluded: ${usd.toFixed(2)}`);
    console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await dynamo.stop();
  }
}

function countingMetrics() {
  return { count: () => {} };
}

/** Accounts, their bills and an active subscription each, written through the stores' batch imports. */
async function seed(deps: ReturnType<typeof createLocalDeps>, count: number) {
  const shards = deps.config.subscriptions.fanOutShards;
  const CHUNK = 500;
  for (let from = 0; from < count; from += CHUNK) {
    const indexes = Array.from({ length: Math.min(CHUNK, count - from) }, (_, i) => from + i);
    const accounts = indexes.map((i) =>
      anAccount({
        accountNumber: String(1_000_000_000 + i),
        holderName: 'Иванов Иван',
        district: 'tmn-central',
        paymentMethod: i % 3 === 0 ? 'auto-pay' : 'giro',
        virtualAccount: undefined,
        meters: [{ id: `EM-${i}`, kind: 'single', unit: 'kWh', registers: ['total'] }],
        phones: [`+7912${String(i).padStart(7, '0')}`],
      }),
    );
    await deps.accounts.putMany(accounts);
    await deps.bills.putMany(
      accounts.map((a) =>
        aBill({
          accountNumber: a.accountNumber,
          period: PERIOD,
          currency: 'RUB',
          usage: { volume: 250, unit: 'kWh', registers: { total: 250 }, estimated: false },
          charges: [{ code: 'energy', label: 'Электроэнергия', volume: 250, rate: 6.32, amount: 158_000 }],
          amountDue: 158_000,
        }),
      ),
    );
    await deps.subscriptions.importActive(
      accounts.map((account) => {
        const subscription = aSubscription({
          id: `sub-${account.accountNumber}`,
          accountNumber: account.accountNumber,
          phone: account.phones[0],
          language: 'ru',
          status: 'active',
          verifiedAt: '2026-11-01T05:01:00.000Z',
          effectiveMonth: PERIOD,
          district: account.district,
        });
        return { subscription, shard: fanOutShard(subscription.id, shards) };
      }),
      deps.config.subscriptions.maxPhonesPerAccount,
    );
    if ((from / CHUNK) % 40 === 39) process.stdout.write(`  ${from + accounts.length}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
