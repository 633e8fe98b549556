// Benchmark: a billing run over 50,000 generated accounts through the local pipeline (billing queue -> billing-run
// consumer -> composeBill -> DynamoDB Local). Half the accounts sent a reading in the window, half are estimated
// (the normative: one bill of history is too little for an average).
// Prints accounts billed per second and, measured in the same run on the same store, the rate of raw
// BatchWriteItem (25 items a call) as the reference; DynamoDB and SQS calls per account; exactly-once checks (one
// bill per account, none skipped or failed); and a projection to 1,000,000 accounts in AWS. No assertions.
import './quiet-env.ts';
import { performance } from 'node:perf_hooks';
import { startingClock } from '#adapters/clock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LocalBillingQueue } from '#adapters/local/local-billing-queue';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { billingRunReport } from '#app/billing-report';
import { startBillingRun } from '#app/billing-run-start';
import { loadUtilityConfig } from '#config/load';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import { fanOutShard } from '#domain/subscription';
import { billingRunConsumer } from '#handlers/sqs/consumers';
import { startDynamoLocal } from '../bin/local/dynamo-local.ts';
import { createLocalDeps, localConsumerQueue } from '../bin/local/local-deps.ts';
import { countDynamoCalls, countDynamoUnits } from './dynamo-calls.ts';
import { rawBatchWriteRate } from './raw-batch-write.ts';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50_000);
/** Pages billed at once: the billing consumer's concurrency. */
const CONCURRENCY = Number(process.env.BENCH_BILLING_CONCURRENCY ?? 4);
const PERIOD = '2026-12';

const PRICES = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
};

async function main() {
  const config = loadUtilityConfig('tyumen-power');
  // 01:00 on 2026-11-26 in Yekaterinburg: the night after the window closed.
  const clock = startingClock(new Date('2026-11-25T20:00:00Z'));
  const dynamo = await startDynamoLocal();
  try {
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(client, 'bench');
    const sqs = { sendMessage: 0, deliveries: 0 };
    const queue = localConsumerQueue(
      billingRunConsumer,
      async () => deps,
      clock,
      { count: () => {} },
      CONCURRENCY,
    );
    const billingQueue = new LocalBillingQueue({
      send: (body) => {
        sqs.sendMessage++;
        return queue.send(body);
      },
      idle: () => queue.idle(),
    });
    const deps = createLocalDeps({
      client,
      tableName: 'bench',
      config,
      clock,
      sms: new LocalSmsGateway(clock, () => {}),
      signingSecret: 'bench-signing-secret-bench-signing-secret-0123',
    });
    deps.billingQueue = billingQueue;

    console.log(`seeding ${ACCOUNTS} accounts and their last bills...`);
    const seedStarted = performance.now();
    await seed(deps, ACCOUNTS);
    console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

    // The reference: as many items as the run writes bills, by raw BatchWriteItem.
    const rawCount = Math.max(5000, Math.floor(ACCOUNTS / 5));
    const rawRate = await rawBatchWriteRate(client, 'bench', rawCount, CONCURRENCY);

    const calls = countDynamoCalls(client);
    const units = countDynamoUnits(client);
    const started = performance.now();
    await startBillingRun(deps, { period: PERIOD });
    await billingQueue.idle();
    const seconds = (performance.now() - started) / 1000;
    const dynamoCalls = calls.count;
    const report = await billingRunReport(deps, { period: PERIOD });
    const rate = ACCOUNTS / seconds;

    console.log(`DynamoDB Local ${dynamo.endpoint}; Node ${process.version}; pages at once ${CONCURRENCY}`);
    console.log(
      `${ACCOUNTS} accounts billed in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} accounts/s; ` +
        `raw BatchWriteItem on the same store: ${rawRate.toFixed(0)} items/s (${rawCount}); ` +
        `billed / raw = ${(rate / rawRate).toFixed(2)}`,
    );
    console.log(
      `report: ${report.status}, created ${report.counts.created}, skipped ${report.counts.skipped}, ` +
        `failed ${report.counts.failed}, methods ${JSON.stringify(report.counts.methods)}`,
    );
    const perAccount = (n: number) => n / ACCOUNTS;
    const pages = sqs.sendMessage;
    // In AWS the event source also receives and deletes each page's message.
    const sqsRequests = sqs.sendMessage + 2 * pages;
    console.log(
      `per account: ${perAccount(dynamoCalls).toFixed(2)} DynamoDB calls, ${perAccount(sqsRequests).toFixed(3)} SQS ` +
        `requests; ${pages} pages of ${config.billing.run.pageSize}`,
    );
    const writeUnits = perAccount(units.write);
    const readUnits = perAccount(units.read);
    console.log(`DynamoDB units per account: ${writeUnits.toFixed(2)} write, ${readUnits.toFixed(2)} read`);
    // Each page took this long on one consumer; in AWS a 1,024 MB consumer, the page's calls at AWS latency.
    const secondsPerPage = (seconds * CONCURRENCY) / pages;
    const usd =
      1e6 *
      (writeUnits * PRICES.dynamoWriteUnit +
        readUnits * PRICES.dynamoReadUnit +
        perAccount(sqsRequests) * PRICES.sqsRequest +
        perAccount(pages) * PRICES.lambdaRequest +
        perAccount(pages * secondsPerPage) * PRICES.lambdaGbSecond);
    console.log(`seconds per page on one consumer here: ${secondsPerPage.toFixed(2)}`);
    console.log(
      `USD per 1,000,000 accounts billed in AWS (DynamoDB, SQS, Lambda at 1 GB): ${usd.toFixed(2)}`,
    );
    const parts = report.parts.total;
    const minutes = ((1_000_000 / config.billing.run.pageSize / parts) * secondsPerPage) / 60;
    console.log(
      `projection: 1,000,000 accounts over ${parts} parts read side by side, ${secondsPerPage.toFixed(2)} s a page: ` +
        `${minutes.toFixed(0)} minutes; each message stays far inside Lambda's 15 minutes`,
    );
    console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await dynamo.stop();
  }
}

/** Tyumen accounts (a third on two-tariff meters) and their November bills printing the meters' readings. */
async function seed(deps: ReturnType<typeof createLocalDeps>, count: number) {
  const CHUNK = 500;
  for (let from = 0; from < count; from += CHUNK) {
    const accounts: Account[] = [];
    const bills: Bill[] = [];
    for (let i = from; i < Math.min(count, from + CHUNK); i++) {
      const twoTariff = i % 3 === 0;
      const registers = twoTariff ? ['day', 'night'] : ['total'];
      const account: Account = {
        accountNumber: String(1_000_000_000 + i),
        holderName: 'Иванов Иван',
        address: `г. Тюмень, ул. Мира, д. ${i % 120}`,
        district: 'tmn-central',
        paymentMethod: i % 3 === 1 ? 'auto-pay' : 'giro',
        households: 1,
        meters: [{ id: `EM-${i}`, kind: twoTariff ? 'two-tariff' : 'single', unit: 'kWh', registers }],
        phones: [],
      };
      accounts.push(account);
      bills.push({
        accountNumber: account.accountNumber,
        period: '2026-11',
        currency: 'RUB',
        usagePeriod: { from: '2026-09-20', to: '2026-10-20' },
        usage: {
          volume: 200,
          unit: 'kWh',
          registers: Object.fromEntries(registers.map((r) => [r, 200 / registers.length])),
          estimated: false,
          method: 'actual',
        },
        charges: [{ code: 'energy', label: 'Электроэнергия', volume: 200, rate: 6.37, amount: 127_400 }],
        reductions: [],
        arrears: 0,
        lateFee: 0,
        amountDue: 127_400,
        dueDate: '2026-12-10',
        issuedAt: '2026-10-26',
        status: 'paid',
        payments: [],
        meterReadings: registers.map((register) => ({
          meterId: `EM-${i}`,
          register,
          previous: { value: 1000, date: '2026-09-20', kind: 'actual' as const },
          current: { value: 1100, date: '2026-10-20', kind: 'actual' as const },
          volume: 100,
        })),
      });
    }
    await deps.accounts.putMany(accounts);
    await deps.bills.putMany(bills);
    // Every other account sent its readings in the November window (100 kWh a register more than its last bill).
    await Promise.all(
      accounts
        .filter((_, i) => (from + i) % 2 === 0)
        .map((account) => {
          const meter = account.meters[0] as Account['meters'][number];
          const values = Object.fromEntries(meter.registers.map((r) => [r, 1200]));
          const id = `bench-${account.accountNumber}`;
          return deps.readings.add(
            {
              id,
              accountNumber: account.accountNumber,
              meterId: meter.id,
              period: '2026-11',
              values,
              consumption: 100 * meter.registers.length,
              source: 'sms',
              status: 'accepted',
              submittedAt: '2026-11-16T05:00:00.000Z',
            },
            {
              supersedes: [],
              expectedCounting: null,
              counting: id,
              count: 1,
              now: Date.parse('2026-11-16T05:00:00.000Z'),
              countingReading: { values, readAt: '2026-11-16', source: 'sms' },
              shard: fanOutShard(account.accountNumber, deps.config.subscriptions.fanOutShards),
            },
          );
        }),
    );
    if ((from / CHUNK) % 20 === 19) process.stdout.write(`  ${from + accounts.length}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
