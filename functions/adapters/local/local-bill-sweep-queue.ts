// The bill sweep queue locally: pages go to the in-process queue that feeds the bill-sweep consumer.
import type { BillSweepQueue } from '#app/ports';
import { type BillSweepPage, billSweepPageBody } from '#contracts/bill-sweep';

export class LocalBillSweepQueue implements BillSweepQueue {
  constructor(private readonly queue: { send(body: string): Promise<unknown>; idle(): Promise<void> }) {}

  /** As SQS does, returns once the page is queued: the consumer runs in the background. */
  async enqueue(page: BillSweepPage): Promise<void> {
    void this.queue.send(billSweepPageBody(page));
  }

  /** Resolves once every queued page (and the pages they queued) is swept or dead-lettered. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
