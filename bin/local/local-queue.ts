// An in-process stand-in for an SQS queue with a dead-letter queue: each message is delivered to the
// consumer as a one-record SQS batch, redelivered while the consumer reports it failed, and moved
// to the dead-letter list after maxReceiveCount deliveries, as SQS's redrive policy does.
import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Metrics } from '#app/ports';

export interface DeadLetter {
  messageId: string;
  body: string;
  receiveCount: number;
  deadLetteredAt: string;
}

export type Delivery =
  | { status: 'processed'; receiveCount: number }
  | { status: 'dead-lettered'; receiveCount: number };

export class LocalQueue {
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly name: string,
    private readonly consume: (event: SQSEvent) => Promise<SQSBatchResponse>,
    private readonly maxReceiveCount: number,
    /** Counts MessageDeadLettered, by this queue's name (in AWS the dead-letter queue's depth shows it). */
    private readonly metrics: Metrics,
    private readonly now: () => Date = () => new Date(),
    /** Stands in for the visibility timeout: how long a failed message waits before it is delivered again. */
    private readonly redeliveryDelayMs = 250,
    /** Batches handed to the consumer at once, as an event source's maximum concurrency bounds them. */
    private readonly concurrency = Number.POSITIVE_INFINITY,
  ) {}

  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** Runs one consumer call when fewer than `concurrency` are running; the others wait their turn. */
  private async consumeInTurn(event: SQSEvent): Promise<SQSBatchResponse> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await this.consume(event);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private readonly inFlight = new Set<Promise<unknown>>();
  /** Messages sent (or redriven) and not yet processed or dead-lettered: what SQS counts as the queue's depth. */
  private pending = 0;

  /** Messages waiting or being delivered: neither processed nor dead-lettered yet. */
  get depth(): number {
    return this.pending;
  }

  /** Delivers the message until the consumer accepts it or it is dead-lettered; never rejects. */
  send(body: string): Promise<Delivery & { messageId: string }> {
    this.pending++;
    return this.track(this.deliver(body, randomUUID(), 1, this.now().getTime()));
  }

  /**
   * Moves every dead letter back onto the queue, as SQS's message move task does: each is delivered again from its
   * first receive, under its own message id, and dead-lettered again if it fails every delivery. Answers how many
   * were moved; their deliveries run on in the background (idle() waits for them).
   */
  redrive(): number {
    const moved = this.deadLetters.splice(0);
    const sentAt = this.now().getTime();
    // Oldest first, as they were dead-lettered.
    for (const letter of moved.reverse()) {
      this.pending++;
      void this.track(this.deliver(letter.body, letter.messageId, 1, sentAt));
    }
    return moved.length;
  }

  /**
   * Delivers the messages to the consumer in one batch (as an event source hands it up to ten); each one it
   * reports failed is delivered again on its own, as SQS makes it visible again. Never rejects.
   */
  sendBatch(bodies: readonly string[]): Promise<void> {
    this.pending += bodies.length;
    return this.track(this.deliverBatch(bodies));
  }

  private track<T>(delivery: Promise<T>): Promise<T> {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  private async deliverBatch(bodies: readonly string[]): Promise<void> {
    const sentAt = this.now().getTime();
    const ids = bodies.map(() => randomUUID());
    let failed: Set<string>;
    try {
      const response = await this.consumeInTurn({
        Records: bodies.map((body, i) => this.record(ids[i] as string, body, 1, sentAt)),
      });
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(ids);
    }
    this.pending -= ids.filter((id) => !failed.has(id)).length;
    await Promise.all(
      bodies.map((body, i) =>
        failed.has(ids[i] as string) ? this.deliver(body, ids[i] as string, 2, sentAt) : undefined,
      ),
    );
  }

  /** Resolves once every message sent so far has been processed or dead-lettered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(
    body: string,
    messageId: string,
    firstReceive: number,
    sentAt: number,
  ): Promise<Delivery & { messageId: string }> {
    for (let receiveCount = firstReceive; receiveCount <= this.maxReceiveCount; receiveCount++) {
      if (receiveCount > 1)
        await new Promise((resolve) => setTimeout(resolve, this.redeliveryDelayMs * (receiveCount - 1)));
      const record = this.record(messageId, body, receiveCount, sentAt);
      let failed: boolean;
      try {
        const response = await this.consumeInTurn({ Records: [record] });
        failed = response.batchItemFailures.some((f) => f.itemIdentifier === messageId);
      } catch {
        failed = true;
      }
      if (!failed) {
        this.pending--;
        return { status: 'processed', receiveCount, messageId };
      }
    }
    this.pending--;
    this.deadLetters.unshift({
      messageId,
      body,
      receiveCount: this.maxReceiveCount,
      deadLetteredAt: this.now().toISOString(),
    });
    this.metrics.count('MessageDeadLettered', { queue: this.name });
    return { status: 'dead-lettered', receiveCount: this.maxReceiveCount, messageId };
  }

  private record(messageId: string, body: string, receiveCount: number, sentAt: number): SQSRecord {
    return {
      messageId,
      receiptHandle: `${messageId}#${receiveCount}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(sentAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
      awsRegion: 'local',
    };
  }
}
