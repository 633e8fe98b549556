// The reference a batch writer is measured against: raw BatchWriteItem calls of 25 items on the same store.
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Items written per second by BatchWriteItem, `count` items in batches of 25, `concurrency` batches in flight. */
export async function rawBatchWriteRate(
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
        const from = next;
        next += 25;
        const items = Array.from({ length: Math.min(25, count - from) }, (_, i) => ({
          PutRequest: { Item: { pk: `RAWBATCH#${from + i}`, sk: 'RAW', type: 'BenchRaw', at: Date.now() } },
        }));
        let pending: typeof items | undefined = items;
        while (pending && pending.length > 0) {
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = result.UnprocessedItems?.[table] as typeof items | undefined;
        }
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
