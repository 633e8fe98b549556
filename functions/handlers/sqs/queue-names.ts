// The names staff give the dead-letter queues (`ops redrive <name>`, /_local/queues): derived from the consumer and schedule tables.
import { type ScheduleEntry, schedules } from '../schedule/schedules.ts';
import { billDropConsumer, type ConsumerEntry, photoCheckConsumer, queueConsumers } from './consumers.ts';

/**
 * A consumer's dead letters go back onto its queue; a schedule's are failed firings with no queue to go back to. A
 * bucket's consumer (S3 events of a dropped bill file or an uploaded photo) has a queue in AWS only: locally the
 * runtime handles the file the moment it arrives.
 */
export type DeadLetterSource =
  | { name: string; kind: 'consumer'; consumer: ConsumerEntry }
  | { name: string; kind: 'bucket-events'; consumer: ConsumerEntry; arrival: string }
  | { name: string; kind: 'schedule'; schedule: ScheduleEntry };

/** The consumers S3 feeds, with how a file reaches them (what the local refusal tells staff to do again). */
const bucketConsumers = [
  { consumer: billDropConsumer, arrival: 'a bill file dropped into the billing exchange' },
  { consumer: photoCheckConsumer, arrival: 'a complaint photo posted with its upload form' },
];

/**
 * The tag on every consumer's queue in AWS naming the consumer it feeds (its id, e.g. `NoticeSend`): queue names are
 * made up by CloudFormation, so `ops redrive` reads this to check that --queue-url is the queue it was asked to redrive.
 */
export const CONSUMER_TAG = 'utilitydesk:consumer';

/** "NoticeSend" -> "notice-send": the consumer's name in commands and URLs. */
export function consumerQueueName(consumer: Pick<ConsumerEntry, 'id'>): string {
  return consumer.id.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
}

/**
 * Every consumer's queue, then the queues S3 feeds, then every schedule's dead-letter queue under the schedule's own name; a consumer added to
 * the table appears here by itself. Two that would share a name are refused, as the CLI could not tell them apart.
 */
export function deadLetterSources(
  consumers: readonly ConsumerEntry[] = queueConsumers,
  scheduleEntries: readonly ScheduleEntry[] = schedules,
): DeadLetterSource[] {
  const sources: DeadLetterSource[] = [
    ...consumers.map((consumer) => ({
      name: consumerQueueName(consumer),
      kind: 'consumer' as const,
      consumer,
    })),
    ...bucketConsumers.map(({ consumer, arrival }) => ({
      name: consumerQueueName(consumer),
      kind: 'bucket-events' as const,
      consumer,
      arrival,
    })),
    ...scheduleEntries.map((schedule) => ({ name: schedule.name, kind: 'schedule' as const, schedule })),
  ];
  const seen = new Set<string>();
  for (const { name } of sources) {
    if (seen.has(name)) throw new Error(`Two dead-letter queues would be called "${name}"`);
    seen.add(name);
  }
  return sources;
}
