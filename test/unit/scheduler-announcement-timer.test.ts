// The one-time schedule an announcement at a set time becomes in AWS: the exact CreateSchedule call.
import 'aws-sdk-client-mock-vitest/extend';
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SchedulerAnnouncementTimer } from '#adapters/aws/scheduler-announcement-timer';
import { readNoticePlanMessage } from '#contracts/notice-plan';

const scheduler = mockClient(SchedulerClient);
const target = {
  group: 'utilitydesk-seoul-water',
  queueArn: 'arn:aws:sqs:ap-northeast-2:123456789012:notice-plan',
  roleArn: 'arn:aws:iam::123456789012:role/announcement-scheduler',
  deadLetterArn: 'arn:aws:sqs:ap-northeast-2:123456789012:announcements-dlq',
  timeZone: 'Asia/Seoul',
};
const ID = 'q2Vb1xkX0m3oTqv1y9sA1w';

afterEach(() => scheduler.reset());

describe('an announcement timer in AWS', () => {
  it('creates a one-time schedule at the local send time that puts the announcement-due message on the planner queue', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });

    // 09:00 on 14 December in Seoul is 00:00 UTC.
    await new SchedulerAnnouncementTimer(new SchedulerClient({}), target).at(
      ID,
      new Date('2026-12-14T00:00:00Z'),
    );

    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: `announcement-${ID}`,
      GroupName: 'utilitydesk-seoul-water',
      ScheduleExpression: 'at(2026-12-14T09:00:00)',
      ScheduleExpressionTimezone: 'Asia/Seoul',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.queueArn,
        RoleArn: target.roleArn,
        DeadLetterConfig: { Arn: target.deadLetterArn },
        RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 185 },
      },
    });
    expect(readNoticePlanMessage(input?.Target?.Input ?? '')).toEqual({ type: 'announcement-due', id: ID });
  });

  it('takes a schedule that exists already (a retried request) as set, and lets other failures through', async () => {
    const timer = new SchedulerAnnouncementTimer(new SchedulerClient({}), target);
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .rejectsOnce(new Error('AccessDenied'));

    await expect(timer.at(ID, new Date('2026-12-14T00:00:00Z'))).resolves.toBeUndefined();
    await expect(timer.at(ID, new Date('2026-12-14T00:00:00Z'))).rejects.toThrow('AccessDenied');
  });
});
