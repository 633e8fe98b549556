// The outbound SMS queue locally: hands the id to the in-process queue that feeds the sms-outbound consumer.
import type { OutboundQueue } from '#app/ports';
import { type OutboundSmsJob, outboundSmsBody } from '#contracts/outbound-sms';

export class LocalOutboundQueue implements OutboundQueue {
  constructor(
    private readonly queue: { send(body: string): Promise<unknown> },
    /**
     * Background (the local runtime): resolves once queued, as SQS does, so a request never waits for the
     * sender. Otherwise (tests) it resolves once the consumer has sent it, so the outbox can be read at once.
     */
    private readonly background: boolean,
  ) {}

  async enqueue(job: OutboundSmsJob): Promise<void> {
    const delivery = this.queue.send(outboundSmsBody(job));
    if (!this.background) await delivery;
  }
}
