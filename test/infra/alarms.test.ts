// The operators' alarm topic, and the alarms of both stacks: every one of them reaches it.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { schedules } from '#handlers/schedule/schedules';
import { photoCheckConsumer, queueConsumers } from '#handlers/sqs/consumers';
import { API_5XX_ALARM } from '#lib/alarms';
import { buildApp, cdkJsonContext } from '#lib/app';
import { sharedSynth } from '#test/support/shared-synth';

function synthesize(context: Record<string, unknown> = {}) {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
  });
  const deployment = buildApp({
    app,
    config: loadUtilityConfig('seoul-water'),
    deletionProtection: true,
    nag: false,
    ...(typeof context.alarmEmail === 'string' ? { alarmEmail: context.alarmEmail } : {}),
  });
  return {
    ...deployment,
    dataTemplate: Template.fromStack(deployment.data),
    monitoringTemplate: Template.fromStack(deployment.monitoring),
  };
}

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { data } = seoul.deployment;
const dataTemplate = seoul.data;
const monitoringTemplate = seoul.monitoring;
const functionIds = [...httpRoutes, notFoundRoute, ...queueConsumers, photoCheckConsumer, ...schedules].map(
  (entry) => entry.id,
);

/** The operators' topic's logical id in the data stack (the one topic that is no inbound SMS topic). */
function operatorsTopicId(): string {
  const topics = dataTemplate.findResources('AWS::SNS::Topic', {
    Properties: { DisplayName: Match.stringLikeRegexp('alarms$') },
  });
  expect(Object.keys(topics)).toHaveLength(1);
  return Object.keys(topics)[0] ?? '';
}

/**
 * Whether a value in either template names the operators' topic: a Ref in the data stack, or in the API stack
 * the data stack's output that holds that Ref (how CDK passes a value from one stack to the other).
 */
function isOperatorsTopic(value: unknown): boolean {
  const topic = { Ref: operatorsTopicId() };
  if (JSON.stringify(value) === JSON.stringify(topic)) return true;
  const imported = (value as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })[
    'Fn::GetStackOutput'
  ];
  if (!imported || imported.StackName !== data.stackName) return false;
  const output = dataTemplate.findOutputs(imported.OutputName)[imported.OutputName];
  return JSON.stringify(output?.Value) === JSON.stringify(topic);
}

function alarmsOf(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as Record<string, unknown>,
  );
}

describe("the operators' topic", () => {
  it('is encrypted with a rotated key of its own, which CloudWatch alarms may use to publish', () => {
    const topic = dataTemplate.findResources('AWS::SNS::Topic')[operatorsTopicId()];
    const keyArn = topic?.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] } | undefined;
    const keyId = keyArn?.['Fn::GetAtt'][0] ?? '';
    const key = dataTemplate.findResources('AWS::KMS::Key')[keyId];

    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(key?.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']),
      }),
    );
  });

  it('refuses publishing without TLS and lets in only the alarms of this account', () => {
    dataTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: operatorsTopicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });

  it('has no subscriber unless -c alarmEmail names one, which it then subscribes by e-mail', () => {
    dataTemplate.resourceCountIs('AWS::SNS::Subscription', 1); // the inbound SMS queue's only
    const withEmail = synthesize({ alarmEmail: 'ops@utility.example' }).dataTemplate;

    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@utility.example',
      TopicArn: { Ref: operatorsTopicId() },
    });
  });
});

describe('the alarms', () => {
  it('every one of them, in both stacks that hold alarms, notifies the operators and tells them when it clears', () => {
    // An alarm nobody hears about is no alarm: the review found the dead-letter alarms notifying nobody.
    const all = [...alarmsOf(dataTemplate), ...alarmsOf(monitoringTemplate)];

    expect(all.length).toBeGreaterThan(0);
    for (const alarm of all) {
      const name = String(alarm.AlarmDescription);
      expect(alarm.AlarmActions, name).toHaveLength(1);
      expect(isOperatorsTopic((alarm.AlarmActions as unknown[])[0]), name).toBe(true);
      expect(alarm.OKActions, name).toEqual(alarm.AlarmActions);
    }
  });

  it("watch each consumer's and each schedule's dead-letter queue (announcements' one-time schedules too)", () => {
    // The schedule table's, and the one the announcements' one-time schedules share.
    // And the complaint photo upload queue's.
    expect(alarmsOf(dataTemplate)).toHaveLength(queueConsumers.length + schedules.length + 2);
  });

  it('watch every function for errors and for throttles', () => {
    for (const id of functionIds) {
      for (const metric of ['Errors', 'Throttles']) {
        monitoringTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          AlarmDescription: Match.stringLikeRegexp(`seoul-water ${id}:`),
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    }
  });

  it("watch the API's share of 5xx answers, once it has enough requests to mean something", () => {
    const [rate] = alarmsOf(monitoringTemplate).filter((alarm) => Array.isArray(alarm.Metrics));
    const metrics = rate?.Metrics as Array<{ Id: string; Expression?: string; MetricStat?: unknown }>;

    expect(rate?.Threshold).toBe(API_5XX_ALARM.percent);
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(
      `IF(requests >= ${API_5XX_ALARM.minimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
    );
    expect(metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Metric: expect.objectContaining({ MetricName: 'Count' }) }),
        expect.objectContaining({ Metric: expect.objectContaining({ MetricName: '5xx' }) }),
      ]),
    );
  });

  it("fire when the utility's daily ceiling of code SMS is reached, on the metric as Powertools publishes it", () => {
    // A single metric with no dimension of its own carries `service` alone (test/unit/embedded-metrics.test.ts).
    monitoringTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'UtilityDesk',
      MetricName: 'CodeSmsCeilingReached',
      Dimensions: [{ Name: 'service', Value: 'utilitydesk-seoul-water' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  // A protect configuration that blocked the utility's own country, or codes waiting in the queue past their life,
  // once stopped every code with nothing but residents' complaints to tell: each refused or expired SMS now alarms.
  it.each([
    ['refused', 'SmsRefused', /refused/],
    ['expired', 'SmsExpired', /expired in the outbound queue/],
  ])(
    'fire at the first queued SMS %s, on SmsDelivered with that outcome beside the service',
    (outcome, name, says) => {
      const [found] = alarmsOf(monitoringTemplate).filter((alarm) =>
        String(alarm.AlarmName).endsWith(`-${name}`),
      );

      expect(found).toMatchObject({
        AlarmName: `UtilityDesk-seoul-water-${name}`,
        Namespace: 'UtilityDesk',
        MetricName: 'SmsDelivered',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(found?.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'service', Value: 'utilitydesk-seoul-water' },
          { Name: 'outcome', Value: outcome },
        ]),
      );
      expect(found?.Dimensions).toHaveLength(2);
      expect(String(found?.AlarmDescription)).toMatch(says);
    },
  );
});
