// Every dead-letter queue of a deployment, the consumers' and the schedules', is watched by an alarm that tells the
// operators' topic, and every consumer's queue URL is a stack output for `ops redrive --queue-url`, its queue tagged
// with the consumer it feeds.
import type { CfnResource } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { billDropConsumer, photoCheckConsumer, queueConsumers } from '#handlers/sqs/consumers';
import { CONSUMER_TAG, consumerQueueName } from '#handlers/sqs/queue-names';
import { withExternalBilling } from '#test/support/configs';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { data } = seoul.deployment;
const template = seoul.data;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  data.getLogicalId(construct.node.defaultChild as CfnResource);
const operatorsTopic = { Ref: logicalId(data.operatorsTopic) };

type Properties = Record<string, unknown>;
const queues = template.findResources('AWS::SQS::Queue');
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (alarm) => alarm.Properties as Properties,
);

/** The data stack's dead-letter queues: each queue another's redrive policy names, and each schedule's. */
function deadLetterQueueIds(): string[] {
  const targets = Object.values(queues).flatMap((queue) => {
    const policy = queue.Properties?.RedrivePolicy as
      | { deadLetterTargetArn?: { 'Fn::GetAtt': [string] } }
      | undefined;
    return policy?.deadLetterTargetArn ? [policy.deadLetterTargetArn['Fn::GetAtt'][0]] : [];
  });
  const scheduled = [...data.scheduleDeadLetters.queues.values()].map(logicalId);
  return [...targets, ...scheduled];
}

/** The alarms on a queue's visible messages. */
const alarmsOnDepthOf = (queueId: string) =>
  alarms.filter(
    (alarm) =>
      alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
      JSON.stringify(alarm.Dimensions) ===
        JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]),
  );

describe('the dead-letter queues', () => {
  it("are one per consumer and one per schedule, every one of them the subject of an alarm to the operators' topic", () => {
    // A DLQ without an alarm fills silently for 14 days and then drops what it held.
    const ids = deadLetterQueueIds();
    // And the complaint photo upload queue's.
    expect(ids).toHaveLength(queueConsumers.length + data.scheduleDeadLetters.queues.size + 1);
    for (const id of ids) {
      const [alarm, ...more] = alarmsOnDepthOf(id);
      expect(more, id).toEqual([]);
      expect(alarm, id).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [operatorsTopic],
        OKActions: [operatorsTopic],
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it("alarm under the deployment's naming, saying what happened and the command that moves the messages back", () => {
    for (const consumer of queueConsumers) {
      const consumerQueue = data.consumerQueues.get(consumer.id);
      if (!consumerQueue) throw new Error(`no queue for ${consumer.id}`);
      const [alarm] = alarmsOnDepthOf(logicalId(consumerQueue.deadLetterQueue));

      expect(alarm?.AlarmName).toBe(`UtilityDesk-seoul-water-${consumer.id}DeadLetters`);
      expect(alarm?.AlarmDescription).toContain(
        `failed ${consumer.maxReceiveCount} times and wait in the dead-letter queue`,
      );
      expect(alarm?.AlarmDescription).toContain(
        `npm run ops -- redrive ${consumerQueueName(consumer)} --queue-url <${consumer.id}QueueUrl>`,
      );
    }
  });
});

describe("the consumers' queue URLs", () => {
  it('are stack outputs named <Consumer>QueueUrl, which ops redrive --queue-url takes', () => {
    for (const consumer of queueConsumers) {
      const consumerQueue = data.consumerQueues.get(consumer.id);
      if (!consumerQueue) throw new Error(`no queue for ${consumer.id}`);
      const outputs = template.findOutputs(`${consumer.id}QueueUrl`);

      expect(Object.values(outputs).map((output) => output.Value)).toEqual([
        { Ref: logicalId(consumerQueue.queue) },
      ]);
    }
  });
});

/** A queue's tags as CloudFormation is given them, by key (the stacks' own `project` and `utility` among them). */
function tagsOf(template: typeof seoul.data, queueId: string): Record<string, unknown> {
  const tags = (template.findResources('AWS::SQS::Queue')[queueId]?.Properties?.Tags ?? []) as {
    Key: string;
    Value: unknown;
  }[];
  return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
}

describe("the consumers' queues", () => {
  it('are each tagged with the consumer they feed, the photo upload queue included, and their DLQs are not', () => {
    // CloudFormation makes the queue names up, so the tag is what tells `ops redrive photo-check` that the URL it was
    // given is PhotoCheck's queue and not, pasted from the wrong output, NoticeSend's.
    const queues = [
      ...[...data.consumerQueues].map(([consumerId, consumerQueue]) => ({ consumerId, consumerQueue })),
      { consumerId: photoCheckConsumer.id, consumerQueue: data.complaintPhotos.uploadQueue },
    ];
    expect(queues).toHaveLength(queueConsumers.length + 1);
    for (const { consumerId, consumerQueue } of queues) {
      expect(tagsOf(template, logicalId(consumerQueue.queue))[CONSUMER_TAG], consumerId).toBe(consumerId);
      expect(tagsOf(template, logicalId(consumerQueue.deadLetterQueue)), consumerId).not.toHaveProperty(
        CONSUMER_TAG,
      );
    }
  });

  it("include the bill drop queue's, where the utility's own billing system drops bill files", () => {
    // A deployment with an external billing system has one more consumer queue, which S3 feeds.
    const external = sharedSynth(withExternalBilling(loadUtilityConfig('seoul-water')));
    const dropQueue = external.deployment.data.billingExchange?.dropQueue;
    if (!dropQueue) throw new Error('no bill drop queue with external billing');
    const dropQueueId = external.deployment.data.getLogicalId(
      dropQueue.queue.node.defaultChild as CfnResource,
    );

    expect(tagsOf(external.data, dropQueueId)[CONSUMER_TAG]).toBe(billDropConsumer.id);
  });
});
