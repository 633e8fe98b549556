// The local runtime's queue: redelivers a failed message, dead-letters it after the last delivery, and counts that.
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import { LocalQueue } from '../../bin/local/local-queue.ts';

const failEveryRecord = async (event: SQSEvent) => ({
  batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
});
const acceptEveryRecord = async () => ({ batchItemFailures: [] });

describe('the local queue', () => {
  it('counts MessageDeadLettered by queue when a message fails every delivery, as the DLQ depth shows in AWS', async () => {
    // A consumer bug makes an inbound SMS fail three times: locally the operator sees it counted, not only listed.
    const metrics = new CountingMetrics();
    const queue = new LocalQueue('inbound-sms', failEveryRecord, 3, metrics, () => new Date(), 0);

    const delivery = await queue.send('{"body":"HELP"}');

    expect(delivery).toMatchObject({ status: 'dead-lettered', receiveCount: 3 });
    expect(queue.deadLetters).toHaveLength(1);
    expect(metrics.list()).toEqual([
      { event: 'MessageDeadLettered', dimensions: { queue: 'inbound-sms' }, count: 1 },
    ]);
  });

  it('counts nothing for a message the consumer accepts', async () => {
    const metrics = new CountingMetrics();
    const queue = new LocalQueue('inbound-sms', acceptEveryRecord, 3, metrics, () => new Date(), 0);

    await expect(queue.send('{"body":"HELP"}')).resolves.toMatchObject({
      status: 'processed',
      receiveCount: 1,
    });

    expect(metrics.list()).toEqual([]);
  });
});
