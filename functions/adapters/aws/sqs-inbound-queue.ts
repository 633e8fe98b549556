// Puts an inbound SMS from a gateway webhook on the inbound SMS queue (SQS), for the sms-inbound consumer.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { InboundQueue, InboundSms } from '#app/ports';
import { gatewayQueueBody } from '#contracts/inbound-sms';

export class SqsInboundQueue implements InboundQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(sms: InboundSms): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: gatewayQueueBody(sms) }),
    );
  }
}

/** For functions that were given no queue: only the webhook function may enqueue inbound SMS. */
export const noInboundQueue: InboundQueue = {
  enqueue: async () => {
    throw new Error(
      'Environment variable INBOUND_QUEUE_URL is not set: this function may not enqueue inbound SMS',
    );
  },
};
