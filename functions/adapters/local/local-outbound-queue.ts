// The outbound queue locally: hands the job to the in-process queue that feeds the sms-outbound consumer (SMS and e-mail).
import type { OutboundQueue } from '#app/ports';
import { type OutboundJob, outboundMessageBody } from '#contracts/outbound-message';

export class LocalOutboundQueue implements OutboundQueue {
  constructor(
    private readonly queue: { send(body: string): Promise<unknown> },
    /**
     * Background (the local runtime): resolves once queued, as SQS does, so a request never waits for the
     * sender. Otherwise (tests) it resolves once the consumer has sent it, so the outbox can be read at once.
     */
    private readonly background: boolean,
  ) {}

  async enqueue(job: OutboundJob): Promise<void> {
    const delivery = this.queue.send(outboundMessageBody(job));
    if (!this.background) await delivery;
  }
}
