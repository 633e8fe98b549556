// The schedules of functions/handlers/schedule/schedules.ts as EventBridge Scheduler schedules: their dead-letter
// queues and alarms (stateful, in the data stack), and the schedules, their functions and roles (in the API stack).
import { Duration, type RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IDestination, IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { UtilityConfig } from '#config/schema';
import type { ScheduleEntry } from '#handlers/schedule/schedules';
import { DEAD_LETTER_RETENTION, deadLetterDepthAlarm } from './consumer-queue.ts';
import { notifyOperators } from './operators-topic.ts';
import { renderForNag, UtilityFunction } from './utility-function.ts';

/**
 * How every schedule delivers. EventBridge Scheduler invokes Lambda asynchronously, so there are two retry loops:
 * the scheduler's, for an invocation Lambda refuses (throttled, no permission, no function), and Lambda's own, for a
 * function that fails. Both end in the schedule's dead-letter queue. Retrying is safe: every run is identified by
 * its scheduled time (a bill-notice run by kind and period), so a second firing finds the first's work.
 */
export const SCHEDULE_DELIVERY = {
  /** The scheduler's attempts after the first, with its own back-off, while the firing is younger than maxEventAge. */
  retryAttempts: 10,
  /** A firing older than this is dead-lettered rather than run: a notice run six hours late wants a person's look. */
  maxEventAge: Duration.hours(6),
  /** Lambda's retries of a failed invocation (at most 2), a minute or more apart. */
  functionRetryAttempts: 2,
  /** A run starts work and returns; it never walks the table. */
  timeout: Duration.seconds(30),
} as const;

/**
 * LambdaInvoke whose role may invoke the function itself only: the schedule targets its unqualified ARN, while
 * LambdaInvoke's own grant (grantInvoke) also allows every version and alias (`<arn>:*`).
 */
class InvokeFunctionOnly extends LambdaInvoke {
  constructor(
    private readonly target: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }),
    );
  }
}

/** The schedule group of a deployment: `aws scheduler list-schedules --group-name utilitydesk-<utility>`. */
export function scheduleGroupNameFor(utilityId: string): string {
  return `utilitydesk-${utilityId}`;
}

/**
 * The one-time schedules announcements at a set time make (not in the table: the API creates them), named
 * `announcement-<id>` in the deployment's group; they share one dead-letter queue under this name.
 */
export const ANNOUNCEMENT_SCHEDULES = { name: 'announcements', id: 'Announcements' } as const;

export interface ScheduleDeadLetterQueuesProps {
  config: UtilityConfig;
  entries: ReadonlyArray<Pick<ScheduleEntry, 'name' | 'id'>>;
  /** The operators' topic: each queue's alarm notifies it. */
  operatorsTopic: ITopic;
  removalPolicy: RemovalPolicy;
}

/** One dead-letter queue per schedule, with an alarm on its depth: firings that were never run wait here. */
export class ScheduleDeadLetterQueues extends Construct {
  /** By schedule name. */
  readonly queues: ReadonlyMap<string, Queue>;
  /** In alarm while a firing waits in a dead-letter queue; one per schedule. */
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: ScheduleDeadLetterQueuesProps) {
    super(scope, id);
    const { config } = props;
    const key = new Key(this, 'Key', {
      description: `UtilityDesk ${config.id}: encrypts the schedules' dead-letter queues`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const queues = new Map<string, Queue>();
    const alarms: Alarm[] = [];
    for (const entry of props.entries) {
      if (queues.has(entry.name)) throw new Error(`Schedule ${entry.name} is in the table twice`);
      const queue = new Queue(this, `${entry.id}DeadLetterQueue`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: key,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          `This is a dead-letter queue: the ${entry.name} schedule's DeadLetterConfig and its function's on-failure ` +
          'destination write to it, which cdk-nag does not recognise (it looks for SQS redrive policies only).',
      });
      const alarm = deadLetterDepthAlarm(this, `${entry.id}DeadLetterAlarm`, queue, {
        alarmName: `UtilityDesk-${config.id}-Schedule${entry.id}DeadLetters`,
        alarmDescription:
          `UtilityDesk ${config.id} schedule${entry === ANNOUNCEMENT_SCHEDULES ? 's' : ''} ${entry.name}: a firing was not run (not delivered, or failed after ` +
          'retries) and waits in its dead-letter queue. See docs/operations.md, "Schedules".',
      });
      notifyOperators(alarm, props.operatorsTopic);
      queues.set(entry.name, queue);
      alarms.push(alarm);
    }
    this.queues = queues;
    this.alarms = alarms;
  }
}

export interface SchedulesProps {
  config: UtilityConfig;
  entries: readonly ScheduleEntry[];
  table: ITable;
  signingSecret: ISecret;
  /** Each schedule's dead-letter queue, by schedule name (the data stack holds them). */
  deadLetterQueues: ReadonlyMap<string, IQueue>;
  /** Where announcements' one-time schedules put their message: the notice planner queue. */
  announcementTarget: IQueue;
}

export class Schedules extends Construct {
  readonly group: ScheduleGroup;
  /** The functions, by entry id (the stack's alarms and dashboard watch them like the others). */
  readonly functions: ReadonlyMap<string, UtilityFunction>;
  /** Each schedule by name. */
  readonly schedules: ReadonlyMap<string, Schedule>;
  /** The role announcements' one-time schedules send to the planner queue as. */
  readonly announcementRole: Role;
  private readonly announcementTarget: IQueue;
  private readonly announcementDeadLetters: IQueue;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const groupName = scheduleGroupNameFor(config.id);
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: groupName });

    // SendMessage to a KMS-encrypted queue needs these two key actions, through SQS only.
    const sendToDeadLetters = (role: Role, queue: IQueue) => {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
      if (queue.encryptionMasterKey) {
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: [queue.encryptionMasterKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
          }),
        );
      }
    };

    const functions = new Map<string, UtilityFunction>();
    const schedules = new Map<string, Schedule>();
    for (const entry of props.entries) {
      if (functions.has(entry.id) || schedules.has(entry.name))
        throw new Error(`Schedule ${entry.name} (${entry.id}) is in the table twice`);
      const deadLetterQueue = props.deadLetterQueues.get(entry.name);
      if (!deadLetterQueue) throw new Error(`No dead-letter queue for schedule ${entry.name}`);

      const fn = new UtilityFunction(this, entry.id, {
        entry: entry.entry,
        config,
        description: `Schedule ${entry.name}: ${entry.description}`,
        timeout: SCHEDULE_DELIVERY.timeout,
      });
      fn.bindTable(props.table, entry.table);
      fn.bindSigningSecret(props.signingSecret);
      // A firing the function failed on, after Lambda's retries, goes to the same queue as one never delivered.
      const onFailure: IDestination = { bind: () => ({ destination: deadLetterQueue.queueArn }) };
      fn.function.configureAsyncInvoke({
        retryAttempts: SCHEDULE_DELIVERY.functionRetryAttempts,
        maxEventAge: SCHEDULE_DELIVERY.maxEventAge,
        onFailure,
      });
      sendToDeadLetters(fn.role, deadLetterQueue);

      // An own role per schedule, which only this schedule may assume: invoke one function, send to one queue.
      const role = new Role(this, `${entry.id}SchedulerRole`, {
        description: `UtilityDesk ${config.id}: EventBridge Scheduler runs the ${entry.name} schedule`,
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: {
              'aws:SourceAccount': stack.account,
              'aws:SourceArn': stack.formatArn({
                service: 'scheduler',
                resource: 'schedule',
                resourceName: `${groupName}/${entry.name}`,
              }),
            },
          },
        }),
      });
      sendToDeadLetters(role, deadLetterQueue);

      const schedule = new Schedule(this, `${entry.id}Schedule`, {
        scheduleName: entry.name,
        scheduleGroup: this.group,
        description: `UtilityDesk ${config.id}: ${entry.description}`,
        schedule: ScheduleExpression.cron({ ...entry.cron(config), timeZone: TimeZone.of(config.timeZone) }),
        target: new InvokeFunctionOnly(fn.function, {
          role,
          input: ScheduleTargetInput.fromObject({
            schedule: entry.name,
            scheduledAt: ContextAttribute.scheduledTime,
          }),
          retryAttempts: SCHEDULE_DELIVERY.retryAttempts,
          maxEventAge: SCHEDULE_DELIVERY.maxEventAge,
          deadLetterQueue,
        }),
      });

      // The schedule names its group by name, which gives CloudFormation no order: without this it may create the
      // schedule before the group exists, and fail.
      schedule.node.addDependency(this.group);

      functions.set(entry.id, fn);
      schedules.set(entry.name, schedule);
    }
    this.functions = functions;
    this.schedules = schedules;

    // Announcements at a set time: one-time schedules the API creates in this group, each sending one message to
    // the planner queue as this role, which only those schedules may assume.
    const announcementDeadLetters = props.deadLetterQueues.get(ANNOUNCEMENT_SCHEDULES.name);
    if (!announcementDeadLetters) throw new Error('No dead-letter queue for the announcement schedules');
    this.announcementRole = new Role(this, 'AnnouncementSchedulerRole', {
      description: `UtilityDesk ${config.id}: EventBridge Scheduler sends announcements at their time`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${groupName}/announcement-*`,
            }),
          },
        },
      }),
    });
    sendToDeadLetters(this.announcementRole, props.announcementTarget);
    sendToDeadLetters(this.announcementRole, announcementDeadLetters);
    this.announcementTarget = props.announcementTarget;
    this.announcementDeadLetters = announcementDeadLetters;
  }

  /** Lets a function create announcements' one-time schedules (in this group only) and pass them their role. */
  allowAnnouncementSchedules(fn: UtilityFunction): void {
    const stack = Stack.of(this);
    const groupName = this.group.scheduleGroupName;
    const announcementSchedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${groupName}/announcement-*`,
    });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [announcementSchedules] }),
    );
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${renderForNag(fn, announcementSchedules)}]`,
      reason:
        "An announcement's one-time schedule is named after the announcement, made when staff create it: the " +
        'wildcard stands for the announcement schedules of this deployment’s group only.',
    });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.announcementRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.function.addEnvironment('ANNOUNCEMENT_SCHEDULE_GROUP', groupName);
    fn.function.addEnvironment('ANNOUNCEMENT_TARGET_QUEUE_ARN', this.announcementTarget.queueArn);
    fn.function.addEnvironment('ANNOUNCEMENT_SCHEDULER_ROLE_ARN', this.announcementRole.roleArn);
    fn.function.addEnvironment('ANNOUNCEMENT_DEAD_LETTER_ARN', this.announcementDeadLetters.queueArn);
  }
}
