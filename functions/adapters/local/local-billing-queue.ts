// The billing queue locally: pages go to the in-process queue that feeds the billing-run consumer.
import type { BillingQueue } from '#app/ports';
import { type BillingPage, billingPageBody } from '#contracts/billing-page';

interface InProcessQueue {
  send(body: string): Promise<unknown>;
  idle(): Promise<void>;
}

/** As SQS does, each call returns once the page is queued: the consumer runs in the background. */
export class LocalBillingQueue implements BillingQueue {
  constructor(private readonly queue: InProcessQueue) {}

  async enqueue(page: BillingPage): Promise<void> {
    void this.queue.send(billingPageBody(page));
  }

  /** Resolves once every queued page (and the pages they queue) is billed, or dead-lettered. */
  async idle(): Promise<void> {
    await this.queue.idle();
  }
}
