// Benchmark: filing and tracking complaints through the real path (API Gateway v2 event -> route -> use case ->
// DynamoDB Local), with raw conditional PutItems on the same store in the same run as the reference. No assertions.
import './quiet-env.ts';
import { startingClock } from '#adapters/clock';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#adapters/dynamo/create-table';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { loadUtilityConfig } from '#config/load';
import { route as fileComplaint } from '#handlers/http/file-complaint';
import { route as trackComplaint } from '#handlers/http/track-complaint';
import { startDynamoLocal } from '../bin/local/dynamo-local.ts';
import { createLocalDeps } from '../bin/local/local-deps.ts';
import { countDynamoCalls } from './dynamo-calls.ts';
import { event, measure } from './http-bench.ts';
import { rawPutRate } from './raw-put.ts';

const COMPLAINTS = Number(process.env.BENCH_COMPLAINTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

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
    console.log(`DynamoDB Local ${dynamo.endpoint}; Node ${process.version}; concurrency ${CONCURRENCY}`);
    const raw = await rawPutRate(client, 'bench', 2000, CONCURRENCY);
    console.log(`raw conditional PutItem (reference, same store): ${raw.toFixed(0)} items/s`);

    const districts = config.districts.map((d) => d.code);
    const codes: string[] = [];
    const getDeps = async () => deps;
    await measure(
      CONCURRENCY,
      'POST /complaints',
      COMPLAINTS,
      (i) => [
        fileComplaint,
        event(
          'POST',
          '/complaints',
          '/complaints',
          {},
          {},
          {
            type: 'leak',
            description: '도로에서 물이 샙니다.',
            districtCode: districts[i % districts.length],
            // Spread over the city (about 1 km apart): the duplicate hint reads each district's open queues.
            location: { lat: 37.45 + (i % 40) * 0.01, long: 126.85 + Math.floor(i / 40) * 0.005 },
            attributes: { where: 'outdoors' },
            confirmDuplicates: true,
          },
          // Residents file from their own addresses: the per-address limit is not what is measured.
          `10.1.${Math.floor(i / 250)}.${i % 250}`,
        ),
      ],
      getDeps,
      () => dynamoCalls.count,
      (body) => {
        const code = (JSON.parse(body) as { trackingCode?: string }).trackingCode;
        if (code) codes.push(code);
      },
    );
    await measure(
      CONCURRENCY,
      'GET /complaints/{code}',
      COMPLAINTS,
      (i) => {
        const code = codes[(i * 7919) % codes.length] ?? 'ZZZZZZZZ';
        return [
          trackComplaint,
          event('GET', `/complaints/${code}`, '/complaints/{trackingCode}', { trackingCode: code }, {}),
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

await main();
