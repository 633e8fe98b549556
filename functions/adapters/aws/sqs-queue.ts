// A queue in SQS (the inbound SMS queue, the outbound SMS queue): each message written by its contract's writer.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export class SqsQueue<M> {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /** The queue's contract writer (functions/contracts/): the body its consumer reads back. */
    private readonly write: (message: M) => string,
  ) {}

  async enqueue(message: M): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: this.write(message) }),
    );
  }
}

/** The environment variable that names a queue to a function allowed to send to it. */
export type QueueUrlVariable =
  | 'INBOUND_QUEUE_URL'
  | 'OUTBOUND_QUEUE_URL'
  | 'NOTICE_PLAN_QUEUE_URL'
  | 'NOTICE_SEND_QUEUE_URL'
  | 'DELIVERY_EVENTS_QUEUE_URL'
  | 'BILLING_QUEUE_URL'
  | 'BILL_SWEEP_QUEUE_URL';

/**
 * For a function whose environment names no such queue: only the functions the stack gave the queue may write to
 * it, so a call here is a wiring fault, reported with the variable's name.
 */
export function unwiredQueue(variable: QueueUrlVariable): {
  enqueue(): Promise<never>;
} {
  return {
    enqueue: async () => {
      throw new Error(
        `Environment variable ${variable} is not set: this function may not write to that queue`,
      );
    },
  };
}
