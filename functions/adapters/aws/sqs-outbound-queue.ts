// Puts an outbox item's id on the outbound SMS queue (SQS), for the sms-outbound consumer.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundQueue } from '#app/ports';
import { type OutboundSmsJob, outboundSmsBody } from '#contracts/outbound-sms';

export class SqsOutboundQueue implements OutboundQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: OutboundSmsJob): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: outboundSmsBody(job) }),
    );
  }
}

/** For functions that were given no outbound queue: they may not ask for SMS to be sent. */
export const noOutboundQueue: OutboundQueue = {
  enqueue: async () => {
    throw new Error(
      'Environment variable OUTBOUND_QUEUE_URL is not set: this function may not queue outbound SMS',
    );
  },
};
