// Benchmark: 10,000 inbound SMS through the local pipeline (SQS-shaped batches -> sms-inbound consumer ->
// use case -> DynamoDB Local), as in the reading window's peak. Prints messages per second and DynamoDB
// calls per message, and, measured in the same run on the same store at the same concurrency, the rate of raw
// conditional PutItems: the most any code that writes once per message could reach. No assertions.
import './quiet-env.ts';
import { performance } from 'node:perf_hooks';
import { startingClock } from '#adapters/clock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { loadUtilityConfig } from '#config/load';
import { snsEnvelopeFor } from '#contracts/inbound-sms';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { generateDemoData } from '../bin/local/demo-data.ts';
import { startDynamoLocal } from '../bin/local/dynamo-local.ts';
import { createLocalDeps } from '../bin/local/local-deps.ts';
import { LocalQueue } from '../bin/local/local-queue.ts';
import { countDynamoCalls } from './dynamo-calls.ts';
import { rawPutRate } from './raw-put.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main() {
  const demo = loadUtilityConfig('tyumen-power');
  // About 40 readings an account in one window (10,000 messages, 240 accounts): above the cap of 10, which would
  // turn most of the run into refusals. The bench measures the accepted path, so the cap is lifted here.
  const config = { ...demo, readings: { ...demo.readings, maxPerWindow: 100 } };
  // 10:00 on the 16th in Yekaterinburg: inside the 15th-25th window.
  const clock = startingClock(new Date('2026-12-16T05:00:00Z'));
  const dynamo = await startDynamoLocal();
  try {
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const dynamoCalls = countDynamoCalls(client);
    await ensureTable(client, 'bench');
    const sms = new LocalSmsGateway(clock, () => {}, MESSAGES * 2);
    const deps = createLocalDeps({
      client,
      tableName: 'bench',
      config,
      clock,
      sms,
      signingSecret: 'bench-signing-secret-bench-signing-secret-0123',
    });
    const data = generateDemoData(config, clock.now(), { accounts: 240 });
    await deps.accounts.putMany(data.accounts);
    await deps.bills.putMany(data.bills);
    const senders = data.accounts.filter((a) => a.phones.length > 0);
    const queue = new LocalQueue(
      'bench-inbound',
      (event) => runSqsBatch(smsInboundConsumer.handleRecord, event, async () => deps),
      smsInboundConsumer.maxReceiveCount,
      deps.metrics,
      () => clock.now(),
    );

    // The mix of a peak day: mostly readings (rising, as meters do), some typos, HELP, and redeliveries.
    const counters = new Map<string, number>();
    const message = (i: number) => {
      const account = senders[i % senders.length];
      if (!account) throw new Error('no demo account with a phone');
      const meter = account.meters[0];
      const n = (counters.get(account.accountNumber) ?? 1000) + 1;
      counters.set(account.accountNumber, n);
      const kind = i % 20;
      let body =
        meter?.kind === 'two-tariff'
          ? `${account.accountNumber} ${n} ${Math.floor(n / 2)}`
          : `${account.accountNumber} ${n}`;
      if (kind === 7) body = `${account.accountNumber} ${n}x`;
      if (kind === 13) body = 'ПОМОЩЬ';
      // Every 25th message is a redelivery of the one before it (same inbound message id).
      const id = i % 25 === 24 ? `bench-${i - 1}` : `bench-${i}`;
      return { messageId: id, from: account.phones[0] as string, to: config.smsNumber, body };
    };

    // The reference: one conditional PutItem per message, as many in flight as the pipeline has.
    const rawCount = Math.max(1000, Math.floor(MESSAGES / 2));
    const rawRate = await rawPutRate(client, 'bench', rawCount, CONCURRENCY);

    let next = 0;
    const outcomes = { processed: 0, deadLettered: 0 };
    const callsBefore = dynamoCalls.count;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          const result = await queue.send(snsEnvelopeFor(message(i), 'arn:bench', clock.now()));
          if (result.status === 'processed') outcomes.processed++;
          else outcomes.deadLettered++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const replies = sms.list().filter((m) => m.purpose === 'reply').length;
    const stored = (
      await Promise.all(
        data.accounts.slice(0, 40).map((a) => deps.readings.list(a.accountNumber, { limit: 50 })),
      )
    ).reduce((total, page) => total + page.items.length, 0);
    console.log(`DynamoDB Local ${dynamo.endpoint}; Node ${process.version}; concurrency ${CONCURRENCY}`);
    console.log(
      `${MESSAGES} inbound SMS in ${seconds.toFixed(1)} s: ${(MESSAGES / seconds).toFixed(0)} messages/s, ` +
        `${((dynamoCalls.count - callsBefore) / MESSAGES).toFixed(2)} DynamoDB calls per message`,
    );
    const rate = MESSAGES / seconds;
    console.log(
      `raw conditional PutItem on the same store: ${rawRate.toFixed(0)} puts/s (${rawCount}); ` +
        `intake / raw = ${(rate / rawRate).toFixed(2)}`,
    );
    console.log(
      `processed ${outcomes.processed}, dead-lettered ${outcomes.deadLettered}, replies ${replies} ` +
        `(typos and HELP), readings stored for the first 40 accounts ${stored}`,
    );
    console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await dynamo.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
