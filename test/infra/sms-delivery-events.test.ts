// End User Messaging's delivery events in the template: configuration set -> encrypted SNS topic -> the
// SmsDeliveryEvents queue, who may publish, who names the set, and the gateway webhook's grants.
import type { CfnResource } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import type { UtilityConfig } from '#config/schema';
import { DELIVERY_EVENT_TYPES } from '#contracts/sms-delivery-event';
import { httpRoutes } from '#handlers/http/routes';
import { queueConsumers, smsDeliveryEventsConsumer } from '#handlers/sqs/consumers';
import { configurationSetNameFor } from '#lib/sms-delivery-events';
import { OUTBOUND_VARIANTS, withChannels } from '#test/support/configs';
import { sharedSynth } from '#test/support/shared-synth';
import type { Statement } from '#test/support/stack-policies';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

function deploy(config: UtilityConfig) {
  const { deployment, data } = sharedSynth(config);
  const resources = data.toJSON().Resources as Record<string, Resource>;
  const only = (type: string): [string, Resource] => {
    const found = Object.entries(resources).filter(([, r]) => r.Type === type);
    expect(found, type).toHaveLength(1);
    return found[0] as [string, Resource];
  };
  const queue = deployment.data.consumerQueues.get(smsDeliveryEventsConsumer.id)?.queue;
  if (!queue) throw new Error('no SmsDeliveryEvents queue');
  const queueId = deployment.data.getLogicalId(queue.node.defaultChild as CfnResource);
  return { deployment, data, resources, only, queueId };
}

const tyumen = loadUtilityConfig('tyumen-power');
const endUserMessaging = withChannels(tyumen, OUTBOUND_VARIANTS['end-user-messaging']);
const fromThisAccount = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':sms-voice:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':*',
        ],
      ],
    },
  },
};

describe('where End User Messaging sends the SMS', () => {
  const { data, resources, only, queueId } = deploy(endUserMessaging);
  const [setId, set] = only('AWS::SMSVOICE::ConfigurationSet');
  const topics = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::SNS::Topic' && String(r.Properties.DisplayName).includes('delivery events'),
  );
  const [topicId, topic] = topics[0] ?? ['', { Type: '', Properties: {} }];

  it('has one configuration set, named for the utility, publishing the final SMS events to the topic', () => {
    expect(topics).toHaveLength(1);
    expect(set.Properties.ConfigurationSetName).toBe(configurationSetNameFor('tyumen-power'));
    expect(set.Properties.EventDestinations).toEqual([
      {
        EventDestinationName: 'notice-deliveries',
        Enabled: true,
        MatchingEventTypes: Object.keys(DELIVERY_EVENT_TYPES),
        SnsDestination: { TopicArn: { Ref: topicId } },
      },
    ]);
    // Each event costs a publish, a message and a call: the ones that say nothing final are not sent.
    const types = set.Properties.EventDestinations as Array<{ MatchingEventTypes: string[] }>;
    for (const quiet of ['TEXT_QUEUED', 'TEXT_PENDING', 'TEXT_ALL', 'ALL'])
      expect(types[0]?.MatchingEventTypes).not.toContain(quiet);
    expect(set.DependsOn ?? []).toEqual(expect.arrayContaining([expect.stringMatching(/TopicPolicy/)]));
    expect(setId).toMatch(/SmsDeliveryEvents/);
  });

  it('encrypts the topic with a rotating key End User Messaging of this account alone may use', () => {
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = resources[keyId];
    if (!key) throw new Error(`no key ${keyId}`);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'sms-voice.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: fromThisAccount,
      }),
    );
  });

  it('lets End User Messaging of this account publish to the topic, and refuses plain HTTP', () => {
    const policies = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::SNS::TopicPolicy' &&
        JSON.stringify(r.Properties.Topics) === JSON.stringify([{ Ref: topicId }]),
    );
    const statements = policies.flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'sms-voice.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: fromThisAccount,
      }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('delivers each event raw to the SmsDeliveryEvents queue, which only this topic may send to', () => {
    data.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
    });
    const queuePolicies = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::SQS::QueuePolicy' &&
        JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    );
    const sends = queuePolicies
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => s.Effect === 'Allow');
    expect(sends).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
      }),
    ]);
  });

  it('names the configuration set to the functions that send SMS, and to no other', () => {
    const api = sharedSynth(endUserMessaging);
    const senders = [...httpRoutes, ...queueConsumers].filter((e) => e.sendsSms).map((e) => e.id);
    expect(senders.sort()).toEqual(['NoticeSend', 'SmsOutbound']);
    for (const entry of [...httpRoutes, ...queueConsumers]) {
      expect(api.environmentOf(entry.id).SMS_CONFIGURATION_SET_NAME, entry.id).toBe(
        entry.sendsSms ? configurationSetNameFor('tyumen-power') : undefined,
      );
    }
  });

  it('lets the delivery events consumer write the table and send nothing', () => {
    const api = sharedSynth(endUserMessaging);
    const actions = api.actionsOf(smsDeliveryEventsConsumer.id);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:GetItem']));
    expect(actions.filter((a) => /^(sms-voice|sns|ses|sqs:SendMessage)/.test(a))).toEqual([]);
  });
});

describe('where the config brings its own configuration set', () => {
  const own = withChannels(tyumen, {
    ...OUTBOUND_VARIANTS['end-user-messaging'],
    configurationSet: 'tesk-sms',
  });

  it('makes none, but the topic its event destination can point at, and senders name the one it brings', () => {
    const { resources } = deploy(own);
    const types = Object.values(resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::SMSVOICE::ConfigurationSet');
    expect(
      Object.values(resources).filter(
        (r) => r.Type === 'AWS::SNS::Topic' && String(r.Properties.DisplayName).includes('delivery events'),
      ),
    ).toHaveLength(1);
    expect(sharedSynth(own).environmentOf('NoticeSend').SMS_CONFIGURATION_SET_NAME).toBe('tesk-sms');
  });
});

describe('where a domestic gateway sends the SMS (the demos as configured)', () => {
  it('makes no configuration set or delivery events topic; gateway reports still reach the queue', () => {
    const { resources } = deploy(tyumen);
    const types = Object.values(resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::SMSVOICE::ConfigurationSet');
    expect(
      Object.values(resources).filter(
        (r) => r.Type === 'AWS::SNS::Topic' && String(r.Properties.DisplayName).includes('delivery events'),
      ),
    ).toEqual([]);
  });

  it('lets the delivery-report webhook send to the delivery events queue alone and read its gateway secret', () => {
    const api = sharedSynth(tyumen);
    const { deployment } = api;
    expect(api.environmentOf('SmsDeliveryReportWebhook').DELIVERY_EVENTS_QUEUE_URL).toBeDefined();
    const statements = api.statementsOf('SmsDeliveryReportWebhook');
    const sends = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(sends).toHaveLength(1);
    expect(JSON.stringify(sends[0]?.Resource)).toContain(
      deployment.data.getLogicalId(
        deployment.data.consumerQueues.get(smsDeliveryEventsConsumer.id)?.queue.node
          .defaultChild as CfnResource,
      ),
    );
    expect(api.actionsOf('SmsDeliveryReportWebhook')).toContain('secretsmanager:GetSecretValue');
    expect(api.actionsOf('SmsDeliveryReportWebhook').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });
});
