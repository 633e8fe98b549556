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

  it('moves its dead letters back when redriven: each delivered again from its first receive, as SQS moves them', async () => {
    // The notice sender failed on two notices while the store was down; once it is back the operator redrives them.
    let storeDown = true;
    const seen: Array<{ body: string; receiveCount: string }> = [];
    const queue = new LocalQueue(
      'notice-send',
      async (event) => {
        for (const r of event.Records)
          seen.push({ body: r.body, receiveCount: r.attributes.ApproximateReceiveCount });
        return storeDown ? failEveryRecord(event) : acceptEveryRecord();
      },
      2,
      new CountingMetrics(),
      () => new Date(),
      0,
    );
    await queue.send('{"n":1}');
    await queue.send('{"n":2}');
    expect(queue.deadLetters.map((letter) => letter.body)).toEqual(['{"n":2}', '{"n":1}']);
    expect(queue.depth).toBe(0);
    storeDown = false;
    seen.length = 0;

    const moved = queue.redrive();
    expect(queue.depth).toBe(2);
    await queue.idle();

    expect(moved).toBe(2);
    expect(queue.deadLetters).toEqual([]);
    expect(queue.depth).toBe(0);
    // Oldest first, each at its first receive again.
    expect(seen).toEqual([
      { body: '{"n":1}', receiveCount: '1' },
      { body: '{"n":2}', receiveCount: '1' },
    ]);
  });

  it('counts a batch in its depth until every message of it is processed or dead-lettered', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new LocalQueue(
      'notice-send',
      async () => {
        await gate;
        return { batchItemFailures: [] };
      },
      3,
      new CountingMetrics(),
      () => new Date(),
      0,
    );

    const delivered = queue.sendBatch(['a', 'b', 'c']);
    expect(queue.depth).toBe(3);
    release();
    await delivered;

    expect(queue.depth).toBe(0);
  });

  it('redrives nothing when nothing was dead-lettered', () => {
    const queue = new LocalQueue('sms-inbound', acceptEveryRecord, 3, new CountingMetrics());
    expect(queue.redrive()).toBe(0);
  });
});
