// The names staff type after `ops redrive` and the local runtime answers to: one per consumer and per schedule.
import { describe, expect, it } from 'vitest';
import { schedules } from '#handlers/schedule/schedules';
import { noticeSendConsumer, queueConsumers } from '#handlers/sqs/consumers';
import { consumerQueueName, deadLetterSources } from '#handlers/sqs/queue-names';

describe('the dead-letter queue names', () => {
  it("are the consumers' ids in kebab case, then the queues S3 feeds, then the schedules' names, so a new consumer has one by itself", () => {
    expect(deadLetterSources().map((source) => [source.name, source.kind])).toEqual([
      ['sms-inbound', 'consumer'],
      ['sms-outbound', 'consumer'],
      ['notice-plan', 'consumer'],
      ['notice-send', 'consumer'],
      ['sms-delivery-events', 'consumer'],
      ['billing', 'consumer'],
      ['bill-sweep', 'consumer'],
      ['bill-drop', 'bucket-events'],
      ['photo-check', 'bucket-events'],
      ['bill-notices', 'schedule'],
      ['quiet-hours-end', 'schedule'],
      ['billing-run', 'schedule'],
      ['overdue-bills', 'schedule'],
      ['reading-window-opens', 'schedule'],
      ['due-reminders', 'schedule'],
      ['complaints-sla', 'schedule'],
    ]);
    expect(consumerQueueName({ id: 'AnnouncementSend' })).toBe('announcement-send');
    expect(consumerQueueName({ id: 'SmsOutbound2' })).toBe('sms-outbound2');
  });

  it('refuse a consumer and a schedule that would share a name, as the command could not tell them apart', () => {
    const clash = { ...noticeSendConsumer, id: 'BillNotices' };
    expect(() => deadLetterSources([...queueConsumers, clash], schedules)).toThrow(
      'Two dead-letter queues would be called "bill-notices"',
    );
  });
});
