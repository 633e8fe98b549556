// The reference every benchmark prints beside its own rate: raw conditional PutItems on the same store, in flight
// as many at once as the pipeline measured has.
import { performance } from 'node:perf_hooks';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/** PutItems per second, `count` of them, `concurrency` at a time, each on a new key if absent. */
export async function rawPutRate(
  client: DynamoDBDocumentClient,
  table: string,
  count: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await client.send(
          new PutCommand({
            TableName: table,
            Item: { pk: `RAW#${i}`, sk: 'RAW', type: 'BenchRaw', at: Date.now() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
