// Queues and the inbound SMS topic as CloudFormation will create them, and the consumer functions that poll them.

import type { CfnResource } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { queueConsumers, smsInboundConsumer } from '#handlers/sqs/consumers';
import { CONSUMER_RUNTIME } from '#lib/consumer-queue';
import { SMS_SERVICE_PRINCIPAL } from '#lib/data-stack';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { data, api } = seoul.deployment;
const dataTemplate = seoul.data;
const apiTemplate = seoul.template;

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };
type Statement = {
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

function resourceIn(template: Template, logicalId: string): Resource {
  const resource = template.toJSON().Resources?.[logicalId] as Resource | undefined;
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource;
}

/** The data stack's logical ids of a consumer's queue, DLQ and alarm. */
function queueIdsOf(consumerId: string) {
  const consumer = data.consumerQueues.get(consumerId);
  if (!consumer) throw new Error(`no queue for consumer ${consumerId}`);
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    data.getLogicalId(construct.node.defaultChild as CfnResource);
  return {
    queue: id(consumer.queue),
    deadLetterQueue: id(consumer.deadLetterQueue),
    alarm: id(consumer.deadLetterAlarm),
  };
}

/** Every statement of the queue policies that apply to a queue. */
function queuePolicyStatements(queueId: string): Statement[] {
  return Object.values(dataTemplate.findResources('AWS::SQS::QueuePolicy'))
    .filter((policy) => JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: queueId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The statements of the key policy of the KMS key that an `Fn::GetAtt [key, Arn]` points to. */
function keyStatements(keyArn: unknown): Statement[] {
  const keyId = (keyArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const key = resourceIn(dataTemplate, keyId);
  expect(key.Type).toBe('AWS::KMS::Key');
  expect(key.Properties.EnableKeyRotation).toBe(true);
  return (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
}

/**
 * What a cross-stack value in the API stack stands for in the data stack: follows a weak reference
 * (Fn::GetStackOutput) or a strong one (Fn::ImportValue) to the data stack output's value.
 */
function producedByData(value: unknown): unknown {
  const outputs = dataTemplate.toJSON().Outputs as Record<
    string,
    { Value: unknown; Export?: { Name: unknown } }
  >;
  const weak = (value as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })[
    'Fn::GetStackOutput'
  ];
  if (weak) {
    expect(weak.StackName).toBe(data.stackName);
    return outputs[weak.OutputName]?.Value;
  }
  const imported = (value as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  if (imported !== undefined) {
    return Object.values(outputs).find(
      (output) => JSON.stringify(output.Export?.Name) === JSON.stringify(imported),
    )?.Value;
  }
  return value;
}

function consumerFunction(consumerId: string) {
  const fn = api.functions.get(consumerId);
  if (!fn) throw new Error(`no function for consumer ${consumerId}`);
  return fn;
}

describe.each(queueConsumers.map((consumer) => [consumer.id, consumer] as const))(
  'the %s consumer',
  (_, consumer) => {
    const ids = queueIdsOf(consumer.id);
    const queue = resourceIn(dataTemplate, ids.queue);
    const deadLetterQueue = resourceIn(dataTemplate, ids.deadLetterQueue);

    it('has a queue in the stateful stack that sends a message to its DLQ after maxReceiveCount receives', () => {
      expect(queue.Type).toBe('AWS::SQS::Queue');
      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt(ids.deadLetterQueue),
        maxReceiveCount: consumer.maxReceiveCount,
      });
    });

    it('keeps dead letters for 14 days, and the DLQ needs no DLQ of its own', () => {
      expect(deadLetterQueue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
      expect(deadLetterQueue.Properties.RedrivePolicy).toBeUndefined();
    });

    it('encrypts both queues with a rotating customer-managed key', () => {
      expect(queue.Properties.KmsMasterKeyId).toEqual(deadLetterQueue.Properties.KmsMasterKeyId);
      expect(keyStatements(queue.Properties.KmsMasterKeyId).length).toBeGreaterThan(0);
    });

    it('refuses any request to either queue that does not use TLS', () => {
      for (const queueId of [ids.queue, ids.deadLetterQueue]) {
        expect(queuePolicyStatements(queueId), queueId).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Resource: getAtt(queueId),
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('hides a received message for at least six times the function timeout plus the batching window', () => {
      const fn =
        apiTemplate.findResources('AWS::Lambda::Function')[
          api.getLogicalId(consumerFunction(consumer.id).function.node.defaultChild as CfnResource)
        ];
      const functionTimeout = fn?.Properties.Timeout as number;
      expect(functionTimeout).toBe(CONSUMER_RUNTIME.timeout.toSeconds());
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * functionTimeout + CONSUMER_RUNTIME.maxBatchingWindow.toSeconds(),
      );
    });

    it('raises an alarm as soon as one message is in the DLQ, and stays quiet when SQS reports nothing', () => {
      const alarm = resourceIn(dataTemplate, ids.alarm).Properties;
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(ids.deadLetterQueue, 'QueueName') }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
      expect([60, 300]).toContain(alarm.Period);
    });

    it('is polled by its function in batches of 10, reporting partial batch failures', () => {
      const mappings = Object.values(apiTemplate.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (mapping) =>
          JSON.stringify(mapping.Properties.FunctionName) ===
          JSON.stringify({
            Ref: api.getLogicalId(consumerFunction(consumer.id).function.node.defaultChild as CfnResource),
          }),
      );
      expect(mappings).toHaveLength(1);
      const properties = mappings[0]?.Properties;
      expect(producedByData(properties.EventSourceArn)).toEqual(getAtt(ids.queue));
      expect(properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: CONSUMER_RUNTIME.maxBatchingWindow.toSeconds(),
      });
      expect(properties.Enabled).not.toBe(false);
    });

    it("lets its function receive and delete from the queue and decrypt with the queue's key, not the DLQ", () => {
      const roleId = api.getLogicalId(consumerFunction(consumer.id).role.node.defaultChild as CfnResource);
      const statements = Object.values(
        apiTemplate.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
      ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
      const onQueue = statements.filter((s) =>
        JSON.stringify(producedByData(s.Resource)).includes(ids.queue),
      );
      expect(onQueue.flatMap((s) => [s.Action].flat())).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
      );
      expect(statements.map((s) => producedByData(s.Resource))).toContainEqual(
        queue.Properties.KmsMasterKeyId,
      );
      expect(JSON.stringify(statements)).not.toContain(ids.deadLetterQueue);
    });
  },
);

describe('the inbound SMS topic', () => {
  // The data stack holds a second topic, the operators' (test/infra/monitoring.test.ts).
  const topicId = data.getLogicalId(data.inboundSmsTopic.node.defaultChild as CfnResource);
  const topic = dataTemplate.findResources('AWS::SNS::Topic')[topicId];
  const ids = queueIdsOf(smsInboundConsumer.id);
  const topicPolicyStatements = Object.values(dataTemplate.findResources('AWS::SNS::TopicPolicy'))
    .filter((policy) => JSON.stringify(policy.Properties.Topics) === JSON.stringify([{ Ref: topicId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  const sourceAccount = { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } };

  it('is a standard topic in the stateful stack, encrypted with a rotating customer-managed key', () => {
    expect(topic).toBeDefined();
    expect(topic?.Properties.FifoTopic).toBeUndefined();
    expect(topic?.Properties.KmsMasterKeyId).toEqual(
      expect.objectContaining({ 'Fn::GetAtt': expect.anything() }),
    );
    expect(keyStatements(topic?.Properties.KmsMasterKeyId).length).toBeGreaterThan(0);
  });

  it('lets End User Messaging SMS publish, only on behalf of this account', () => {
    const allows = topicPolicyStatements.filter(
      (s) =>
        s.Effect === 'Allow' &&
        JSON.stringify(s.Principal) === JSON.stringify({ Service: SMS_SERVICE_PRINCIPAL }),
    );
    expect(SMS_SERVICE_PRINCIPAL).toBe('sms-voice.amazonaws.com');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: topicId } });
    expect(allows[0]?.Condition?.StringEquals).toEqual(sourceAccount);
    // Nobody else is allowed anything by the topic policy.
    expect(topicPolicyStatements.filter((s) => s.Effect === 'Allow')).toHaveLength(1);
  });

  it("lets End User Messaging SMS use the topic's key to publish, only on behalf of this account", () => {
    const forSms = keyStatements(topic?.Properties.KmsMasterKeyId).filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: SMS_SERVICE_PRINCIPAL }),
    );
    expect(forSms).toHaveLength(1);
    expect([forSms[0]?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(forSms[0]?.Condition?.StringEquals).toEqual(sourceAccount);
  });

  it('refuses publishing without TLS', () => {
    expect(topicPolicyStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('feeds the SmsInbound queue, in the SNS envelope (no raw delivery)', () => {
    const subscriptions = Object.values(dataTemplate.findResources('AWS::SNS::Subscription'));
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]?.Properties).toMatchObject({
      Protocol: 'sqs',
      TopicArn: { Ref: topicId },
      Endpoint: getAtt(ids.queue),
    });
    expect(subscriptions[0]?.Properties.RawMessageDelivery).not.toBe(true);
  });

  it('may deliver into the encrypted queue: the queue policy and the queue key allow SNS, for this topic only', () => {
    const fromTopic = { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } };
    expect(queuePolicyStatements(ids.queue)).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: fromTopic,
      }),
    );
    const queueKey = resourceIn(dataTemplate, ids.queue).Properties.KmsMasterKeyId;
    expect(keyStatements(queueKey)).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']),
        Condition: fromTopic,
      }),
    );
  });

  it('has its ARN in the stack outputs, for the phone number two-way SMS setting', () => {
    const outputs = dataTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.InboundSmsTopicArn?.Value).toEqual({ Ref: topicId });
  });
});
