// AnnouncementTimer in AWS: an EventBridge Scheduler one-time schedule that puts the announcement-due message on
// the planner queue at the send time, in the utility's time zone, and deletes itself once it has fired.
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { DateTime } from 'luxon';
import type { AnnouncementTimer } from '#app/ports';
import { announcementDueBody } from '#contracts/notice-plan';

export interface AnnouncementTimerTarget {
  /** The schedule group the stack made for the deployment's one-time schedules. */
  group: string;
  /** The planner queue's ARN, and the role EventBridge Scheduler sends to it as. */
  queueArn: string;
  roleArn: string;
  /** Where a firing that could not be delivered goes (alarmed, like the other schedules' dead-letter queues). */
  deadLetterArn: string;
  timeZone: string;
}

/** EventBridge Scheduler keeps retrying a failed delivery for at most this long, then dead-letters it. */
const MAX_EVENT_AGE_SECONDS = 6 * 3600;

export class SchedulerAnnouncementTimer implements AnnouncementTimer {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly target: AnnouncementTimerTarget,
  ) {}

  async at(announcementId: string, sendAt: Date): Promise<void> {
    const { target } = this;
    // at() takes a local date-time without offset, read in ScheduleExpressionTimezone; whole seconds.
    const local = DateTime.fromJSDate(sendAt, { zone: target.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
    try {
      await this.scheduler.send(
        new CreateScheduleCommand({
          Name: `announcement-${announcementId}`,
          GroupName: target.group,
          Description: `Sends announcement ${announcementId}`,
          ScheduleExpression: `at(${local})`,
          ScheduleExpressionTimezone: target.timeZone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: target.queueArn,
            RoleArn: target.roleArn,
            Input: announcementDueBody(announcementId),
            RetryPolicy: { MaximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS, MaximumRetryAttempts: 185 },
            DeadLetterConfig: { Arn: target.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      // The same announcement's timer, set by an earlier try of the same request: one timer is enough.
      if (!(error instanceof ConflictException)) throw error;
    }
  }
}
