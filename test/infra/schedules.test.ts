// The schedule table as EventBridge Scheduler schedules: when they fire, what they carry, how they retry, where a
// firing that never ran waits, and what their roles may do.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { parseUtilityConfig, type UtilityConfig } from '#config/schema';
import { cronExpression } from '#domain/schedule';
import { readScheduleEvent } from '#handlers/schedule/schedule-handler';
import { billNoticesSchedule, schedules } from '#handlers/schedule/schedules';
import { SCHEDULE_DELIVERY, scheduleGroupNameFor } from '#lib/schedules';
import { sharedSynth } from '#test/support/shared-synth';
import type { Statement } from '#test/support/stack-policies';

type Resource = { Properties: Record<string, unknown>; DependsOn?: string[] };
type Ref = { 'Fn::GetAtt'?: [string, string]; 'Fn::GetStackOutput'?: { OutputName: string } };

const only = (found: Record<string, unknown>): [string, Resource] => {
  const entries = Object.entries(found);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Resource];
};

/** A value of the API stack that names a resource of the data stack (an ARN passed through the stack's outputs). */
function dataOutput(value: unknown): string {
  const output = (value as Ref)['Fn::GetStackOutput']?.OutputName;
  expect(output, JSON.stringify(value)).toBeDefined();
  return output ?? '';
}

function synthesize(config: UtilityConfig) {
  const synthesized = sharedSynth(config);
  const { deployment, template } = synthesized;
  const dataTemplate = Template.fromStack(deployment.data);
  const scheduleOf = (name: string): Resource =>
    only(template.findResources('AWS::Scheduler::Schedule', { Properties: { Name: name } }))[1];
  /** The data stack output that carries a resource's attribute, as the API stack reads it. */
  const outputFor = (logicalId: string, attribute: 'Arn' | 'QueueName'): string => {
    const outputs = dataTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    const found = Object.entries(outputs).find(
      ([, output]) =>
        JSON.stringify(output.Value) === JSON.stringify({ 'Fn::GetAtt': [logicalId, attribute] }),
    );
    return found?.[0] ?? `(no output for ${logicalId}.${attribute})`;
  };
  return { ...synthesized, dataTemplate, scheduleOf, outputFor };
}

describe.each(['seoul-water', 'tyumen-power'])('the schedules of %s', (utility) => {
  const config = loadUtilityConfig(utility);
  const { template, dataTemplate, deployment, scheduleOf, outputFor, statementsOf } = synthesize(config);

  it('are one per table entry, in one schedule group of the deployment', () => {
    const groups = template.findResources('AWS::Scheduler::ScheduleGroup');
    const [groupId, group] = only(groups);
    expect(group.Properties.Name).toBe(scheduleGroupNameFor(config.id));
    expect(group.Properties.Name).toBe(`utilitydesk-${utility}`);
    const all = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Resource[];
    expect(all.map((s) => s.Properties.Name).sort()).toEqual(schedules.map((s) => s.name).sort());
    for (const schedule of all) {
      expect(schedule.Properties.GroupName).toBe(`utilitydesk-${utility}`);
      // Named by name, not by reference: only an explicit dependency makes CloudFormation create the group first.
      expect(schedule.DependsOn).toContain(groupId);
      expect(schedule.Properties.State).toBe('ENABLED');
      expect(schedule.Properties.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    }
  });

  it("fire bill-notices at 10:00 on the 12th of every month in the utility's own time zone", () => {
    const schedule = scheduleOf('bill-notices');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 10 12 * ? *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe(config.timeZone);
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe(
      utility === 'seoul-water' ? 'Asia/Seoul' : 'Asia/Yekaterinburg',
    );
  });

  // The window takes readings from the 15th to the 25th: the night after, the next period is billed.
  it("fire billing-run at 01:00 on the 26th, the night after the reading window closes, in the utility's zone", () => {
    const schedule = scheduleOf('billing-run');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 1 26 * ? *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe(config.timeZone);
    const target = schedule.Properties.Target as { Input: string };
    expect(JSON.parse(target.Input)).toEqual({
      schedule: 'billing-run',
      scheduledAt: '<aws.scheduler.scheduled-time>',
    });
  });

  // A bill due on the 9th is overdue from the 10th, local time: the sweep runs just after local midnight, and hands
  // the work to the bill sweep queue instead of marking bills itself.
  it("fire overdue-bills at 00:30 every day in the utility's time zone, its function sending to the sweep queue", () => {
    const schedule = scheduleOf('overdue-bills');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(30 0 * * ? *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe(config.timeZone);
    const fn = deployment.api.functions.get('OverdueBills');
    const functionId = deployment.api.getLogicalId(fn?.function.node.defaultChild as never);
    const variables = template.toJSON().Resources[functionId].Properties.Environment.Variables;
    expect(Object.keys(variables)).toContain('BILL_SWEEP_QUEUE_URL');
  });

  // A complaint due at 10:00 must reach its office by 10:00's run: the check fires on every hour, and texts through
  // the outbound queue (quiet-hours-end too, for the complaint updates the night held).
  it('fire complaints-sla on the hour, every hour, its function and quiet-hours-end sending to the outbound queue', () => {
    const schedule = scheduleOf('complaints-sla');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 * * * ? *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe(config.timeZone);
    for (const id of ['ComplaintsSla', 'QuietHoursEnd']) {
      const fn = deployment.api.functions.get(id);
      const functionId = deployment.api.getLogicalId(fn?.function.node.defaultChild as never);
      const variables = template.toJSON().Resources[functionId].Properties.Environment.Variables;
      expect(Object.keys(variables), id).toContain('OUTBOUND_QUEUE_URL');
    }
  });

  // The local runtime lists and replays the expression the domain module computes: it must be the one AWS gets.
  it('are given the expression the local runtime shows for each entry', () => {
    for (const entry of schedules) {
      expect(scheduleOf(entry.name).Properties.ScheduleExpression).toBe(cronExpression(entry.cron(config)));
    }
  });

  it('carry their name and the scheduled time, which the wrapper reads back', () => {
    const target = scheduleOf('bill-notices').Properties.Target as { Input: string };
    const input = JSON.parse(target.Input) as Record<string, unknown>;
    expect(input).toEqual({ schedule: 'bill-notices', scheduledAt: '<aws.scheduler.scheduled-time>' });
    // EventBridge Scheduler replaces the placeholder with the firing's time, as ISO 8601 in UTC.
    const delivered = { ...input, scheduledAt: '2026-12-12T01:00:00Z' };
    expect(readScheduleEvent(delivered, billNoticesSchedule.name)).toEqual({
      name: 'bill-notices',
      scheduledAt: new Date('2026-12-12T01:00:00Z'),
    });
  });

  it('invoke their own function, retry, and then dead-letter to a queue of their own', () => {
    for (const entry of schedules) {
      const target = scheduleOf(entry.name).Properties.Target as Record<string, unknown>;
      const fn = deployment.api.functions.get(entry.id);
      const functionId = deployment.api.getLogicalId(fn?.function.node.defaultChild as never);
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: SCHEDULE_DELIVERY.retryAttempts,
        MaximumEventAgeInSeconds: SCHEDULE_DELIVERY.maxEventAge.toSeconds(),
      });
      const queueId = deployment.data.getLogicalId(
        deployment.data.scheduleDeadLetters.queues.get(entry.name)?.node.defaultChild as never,
      );
      expect(dataOutput((target.DeadLetterConfig as { Arn: unknown }).Arn)).toBe(outputFor(queueId, 'Arn'));

      // Scheduler invokes Lambda asynchronously: a function that fails is retried by Lambda, then sent to the
      // same queue, so no failed firing is only in a log.
      const [, invokeConfig] = only(
        template.findResources('AWS::Lambda::EventInvokeConfig', {
          Properties: { FunctionName: { Ref: functionId } },
        }),
      );
      expect(invokeConfig.Properties.MaximumRetryAttempts).toBe(2);
      expect(invokeConfig.Properties.MaximumEventAgeInSeconds).toBe(
        SCHEDULE_DELIVERY.maxEventAge.toSeconds(),
      );
      const onFailure = (invokeConfig.Properties.DestinationConfig as { OnFailure: { Destination: unknown } })
        .OnFailure.Destination;
      expect(dataOutput(onFailure)).toBe(outputFor(queueId, 'Arn'));
    }
  });

  it('keep their dead-letter queues in the stateful stack, encrypted with a rotating key, TLS only, 14 days', () => {
    const queues = deployment.data.scheduleDeadLetters.queues;
    // One per schedule of the table, and one the announcements' one-time schedules share.
    expect([...queues.keys()].sort()).toEqual([...schedules.map((s) => s.name), 'announcements'].sort());
    for (const queue of queues.values()) {
      const queueId = deployment.data.getLogicalId(queue.node.defaultChild as never);
      const props = dataTemplate.toJSON().Resources[queueId].Properties as Record<string, unknown>;
      expect(props.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      const keyId = (props.KmsMasterKeyId as Ref)['Fn::GetAtt']?.[0] ?? '';
      expect(dataTemplate.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
      dataTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });

  it("alarm, to the operators' topic, as soon as a firing waits in a dead-letter queue", () => {
    for (const entry of schedules) {
      const queue = deployment.data.scheduleDeadLetters.queues.get(entry.name);
      const queueId = deployment.data.getLogicalId(queue?.node.defaultChild as never);
      const [, alarm] = only(
        dataTemplate.findResources('AWS::CloudWatch::Alarm', {
          Properties: {
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          },
        }),
      );
      expect(alarm.Properties).toMatchObject({
        AlarmName: `UtilityDesk-${utility}-Schedule${entry.id}DeadLetters`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      const topic = {
        Ref: deployment.data.getLogicalId(deployment.data.operatorsTopic.node.defaultChild as never),
      };
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
    }
  });

  it('run under a role only their own schedule may assume, which may invoke one function and dead-letter', () => {
    for (const entry of schedules) {
      const target = scheduleOf(entry.name).Properties.Target as { RoleArn: Ref };
      const roleId = target.RoleArn['Fn::GetAtt']?.[0] ?? '';
      const role = template.toJSON().Resources[roleId].Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':scheduler:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    `:schedule/utilitydesk-${utility}/${entry.name}`,
                  ],
                ],
              },
            },
          },
        },
      ]);
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: roleId }] },
      });
      const statements = Object.values(policies).flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
      );
      const fn = deployment.api.functions.get(entry.id);
      const functionId = deployment.api.getLogicalId(fn?.function.node.defaultChild as never);
      expect(statements).toHaveLength(3);
      expect(statements).toContainEqual({
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [functionId, 'Arn'] },
      });
      const send = statements.find((s) => s.Action === 'sqs:SendMessage');
      expect(dataOutput(send?.Resource)).toBeTruthy();
      const kms = statements.find((s) => JSON.stringify(s.Action).includes('kms'));
      expect([kms?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(JSON.stringify(kms?.Condition)).toContain('kms:ViaService');
      // The function itself may send to its dead-letter queue (the on-failure destination) and to the queues its
      // row names (the notice planner's), nowhere else.
      const fnSends = statementsOf(entry.id).filter((s) => JSON.stringify(s.Action).includes('sqs:'));
      expect(new Set(fnSends.map((s) => s.Action))).toEqual(new Set(['sqs:SendMessage']));
      const resources = fnSends.flatMap((s) => [s.Resource].flat());
      expect(resources).toHaveLength(1 + (entry.writesTo?.length ?? 0));
      expect(resources).toContainEqual(send?.Resource);
    }
  });

  // Staff schedule an announcement for 09:00: the API creates a one-time schedule for it. Nothing else may create
  // schedules, that function may create none but announcements' in this group, and it may hand them only the role
  // that sends to the planner queue.
  it("let the announcement route create announcements' one-time schedules only, with their own role", () => {
    const group = scheduleGroupNameFor(config.id);
    const statements = statementsOf('CreateAnnouncement');
    const create = statements.find((s) => s.Action === 'scheduler:CreateSchedule');
    expect(JSON.stringify(create?.Resource)).toContain(`:schedule/${group}/announcement-*`);
    const pass = statements.find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('sends announcements at their time') },
    });
    const [roleId, role] = only(roles);
    expect(pass?.Resource).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    const trust = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
    expect(trust).toContain('scheduler.amazonaws.com');
    expect(trust).toContain(`:schedule/${group}/announcement-*`);
    // The planner queue (the target) and the shared dead-letter queue, nothing more.
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: roleId }] },
    });
    const [, policy] = only(policies);
    const sends = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter(
      (s) => s.Action === 'sqs:SendMessage',
    );
    expect(sends.flatMap((s) => [s.Resource].flat())).toHaveLength(2);
    for (const [id, actions] of Object.entries(
      Object.fromEntries(
        [...deployment.api.functions.keys()].map((id) => [id, JSON.stringify(statementsOf(id))]),
      ),
    )) {
      if (id !== 'CreateAnnouncement') expect(actions, id).not.toContain('scheduler:CreateSchedule');
    }
  });
});

describe('a utility that bills everyone in the same months', () => {
  it('has bill-notices fire in those months only, at its notice time', () => {
    const seoul = loadUtilityConfig('seoul-water');
    const config = parseUtilityConfig(
      { ...seoul, billing: { ...seoul.billing, noticeTime: '09:30', billingMonths: [2, 4, 6, 8, 10, 12] } },
      'test.json',
    );
    const { scheduleOf } = synthesize(config);
    expect(scheduleOf('bill-notices').Properties.ScheduleExpression).toBe('cron(30 9 12 2,4,6,8,10,12 ? *)');
  });
});
