// Benchmark: bill lookup through the real path (API Gateway v2 event -> route -> use case -> DynamoDB Local).
// Prints requests per second, latency percentiles and DynamoDB calls per request. No assertions.
import './quiet-env.ts';
import { performance } from 'node:perf_hooks';
import { startingClock } from '#adapters/clock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { loadUtilityConfig } from '#config/load';
import { issueToken } from '#domain/token';
import { route as requestOtp } from '#handlers/http/auth-otp';
import { route as getBill } from '#handlers/http/get-bill';
import { route as listBills } from '#handlers/http/list-bills';
import { generateDemoData } from '../bin/local/demo-data.ts';
import { startDynamoLocal } from '../bin/local/dynamo-local.ts';
import { createLocalDeps } from '../bin/local/local-deps.ts';
import { countDynamoCalls } from './dynamo-calls.ts';
import { event, measure } from './http-bench.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);

async function main() {
  const config = loadUtilityConfig('seoul-water');
  const clock = startingClock(new Date('2026-12-16T01:00:00Z'));
  const dynamo = await startDynamoLocal();
  try {
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const dynamoCalls = countDynamoCalls(client);
    await ensureTable(client, 'bench');
    const deps = createLocalDeps({
      client,
      tableName: 'bench',
      config,
      clock,
      sms: new LocalSmsGateway(clock),
      signingSecret: 'bench-signing-secret-bench-signing-secret-0123',
    });
    const data = generateDemoData(config, clock.now(), { accounts: ACCOUNTS });
    let t0 = performance.now();
    await deps.accounts.putMany(data.accounts);
    await deps.bills.putMany(data.bills);
    const seedSeconds = (performance.now() - t0) / 1000;
    console.log(`DynamoDB Local ${dynamo.endpoint}; Node ${process.version}; concurrency ${CONCURRENCY}`);
    console.log(
      `seed: ${data.accounts.length} accounts + ${data.bills.length} bills in ${seedSeconds.toFixed(1)} s (${((data.accounts.length + data.bills.length) / seedSeconds).toFixed(0)} items/s)`,
    );

    const accounts = data.accounts.map((a) => a.accountNumber);
    const withPhone = data.accounts.filter((a) => a.phones.length > 0);
    const billsOf = new Map<string, string[]>();
    for (const bill of data.bills)
      billsOf.set(bill.accountNumber, [...(billsOf.get(bill.accountNumber) ?? []), bill.period]);
    const now = Math.floor(clock.now().getTime() / 1000);
    const tokens = new Map(
      accounts.map((n) => [
        n,
        issueToken({ sub: n, aud: config.id, scope: 'account', iat: now, exp: now + 3600 }, deps.keys.token),
      ]),
    );
    const getDeps = async () => deps;
    const auth = (n: string) => ({ authorization: `Bearer ${tokens.get(n)}` });
    const pick = (i: number) => accounts[(i * 7919) % accounts.length] as string;

    t0 = performance.now();
    await measure(
      CONCURRENCY,
      'GET bills (first page)',
      REQUESTS,
      (i) => {
        const n = pick(i);
        return [
          listBills,
          event(
            'GET',
            `/accounts/${n}/bills`,
            '/accounts/{accountNumber}/bills',
            { accountNumber: n },
            auth(n),
          ),
        ];
      },
      getDeps,
      () => dynamoCalls.count,
    );
    await measure(
      CONCURRENCY,
      'GET one bill',
      REQUESTS,
      (i) => {
        const n = pick(i);
        const periods = billsOf.get(n) ?? [];
        const period = periods[i % periods.length] ?? '2026-10';
        return [
          getBill,
          event(
            'GET',
            `/accounts/${n}/bills/${period}`,
            '/accounts/{accountNumber}/bills/{period}',
            { accountNumber: n, period },
            auth(n),
          ),
        ];
      },
      getDeps,
      () => dynamoCalls.count,
    );
    await measure(
      CONCURRENCY,
      'POST /auth/otp',
      Math.min(REQUESTS, 1000),
      (i) => {
        const account = withPhone[i % withPhone.length];
        const phone = account?.phones[0];
        return [
          requestOtp,
          // Residents ask from their own addresses: one address asking for 1,000 codes is what the limits stop.
          event(
            'POST',
            '/auth/otp',
            '/auth/otp',
            {},
            {},
            { accountNumber: account?.accountNumber, phone },
            `10.0.${Math.floor(i / 250)}.${i % 250}`,
          ),
        ];
      },
      getDeps,
      () => dynamoCalls.count,
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
