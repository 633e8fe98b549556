// A queue consumer's stateful half: its encrypted queue, dead-letter queue and the alarm on that DLQ.
import { CfnOutput, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConsumerEntry } from '#handlers/sqs/consumers';
import { CONSUMER_TAG, consumerQueueName } from '#handlers/sqs/queue-names';

/**
 * How every queue consumer's function runs and polls. Both stacks read it: the data stack derives the
 * queue's visibility timeout from it, the API stack configures the function and its event source.
 */
export const CONSUMER_RUNTIME = {
  /** A batch of ten records, each a few table writes and perhaps an SMS reply, processed one by one. */
  timeout: Duration.seconds(30),
  batchSize: 10,
  /** Waits at most this long to fill a batch: inbound SMS are answered within seconds. */
  maxBatchingWindow: Duration.seconds(1),
} as const;

/**
 * Lambda's guidance: at least six times the function timeout plus the batching window, so that a batch
 * being retried after throttling or a timeout does not become visible again (and run twice) meanwhile.
 */
export const CONSUMER_VISIBILITY_TIMEOUT = Duration.seconds(
  6 * CONSUMER_RUNTIME.timeout.toSeconds() + CONSUMER_RUNTIME.maxBatchingWindow.toSeconds(),
);

/** How long a failed message waits in the DLQ for an operator: SQS's maximum. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface ConsumerQueueProps {
  consumer: ConsumerEntry;
  /** Encrypts the queue and its DLQ. */
  encryptionKey: IKey;
  description: string;
  /** The DLQ alarm's name, as operators see it in the notification; CloudFormation makes one up when absent. */
  alarmName?: string;
  /** What the stack output <Consumer>QueueUrl says it is for; absent: the redrive it serves. */
  urlOutputDescription?: string;
}

export class ConsumerQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** In alarm while any message waits in the DLQ. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ConsumerQueueProps) {
    super(scope, id);
    const { consumer, encryptionKey } = props;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      // Longer than the source queue's retention: SQS keeps a message's original enqueue time in the DLQ.
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    // No acknowledgment of AwsSolutions-SQS3 (queue without a DLQ) needed: cdk-nag recognises a queue that is
    // another queue's redrive target as a dead-letter queue, which needs no DLQ of its own.

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      visibilityTimeout: CONSUMER_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: consumer.maxReceiveCount },
    });
    // The source queue only: `ops redrive` is handed this queue's URL and checks it feeds the consumer it names.
    Tags.of(this.queue).add(CONSUMER_TAG, consumer.id);

    this.deadLetterAlarm = deadLetterDepthAlarm(this, 'DeadLetterAlarm', this.deadLetterQueue, {
      ...(props.alarmName ? { alarmName: props.alarmName } : {}),
      // What the operator reads in the notification: what happened, and the command that undoes it once fixed.
      alarmDescription:
        `${props.description}: messages failed ${consumer.maxReceiveCount} times and wait in the dead-letter queue. ` +
        `Fix the cause, then: npm run ops -- redrive ${consumerQueueName(consumer)} --queue-url <${consumer.id}QueueUrl> ` +
        '(docs/operations.md, "Dead letters").',
    });

    // The output the alarm's text names, which `ops redrive <queue> --queue-url` takes.
    new CfnOutput(Stack.of(this), `${consumer.id}QueueUrl`, {
      value: this.queue.queueUrl,
      description:
        props.urlOutputDescription ??
        `The ${consumer.id} queue: ops redrive --queue-url moves its dead letters back onto it`,
    });
  }
}

/** In alarm as soon as one message waits in the dead-letter queue (each a message nobody will otherwise see). */
export function deadLetterDepthAlarm(
  scope: Construct,
  id: string,
  queue: IQueue,
  text: { alarmName?: string; alarmDescription: string },
): Alarm {
  return new Alarm(scope, id, {
    ...text,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // SQS stops publishing metrics for a queue idle for some hours: no data means an empty queue, not a failure.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
