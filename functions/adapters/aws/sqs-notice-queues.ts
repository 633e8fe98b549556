// The notice queues in SQS: planner pages one at a time, notices ten to a SendMessageBatch call.
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { NoticeQueues } from '#app/ports';
import { type NoticeJob, noticeJobBody } from '#contracts/notice-job';
import { type NoticePlanPage, noticePlanPageBody } from '#contracts/notice-plan';

/** SendMessageBatch takes at most ten messages. */
const BATCH = 10;
/** Entries SQS failed within a batch (throttled, internal errors) are sent again this often before giving up. */
const ATTEMPTS = 3;

export class SqsNoticeQueues implements NoticeQueues {
  constructor(
    private readonly client: SQSClient,
    private readonly urls: { plan: string; send: string },
  ) {}

  async plan(page: NoticePlanPage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.urls.plan, MessageBody: noticePlanPageBody(page) }),
    );
  }

  async send(jobs: readonly NoticeJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += BATCH) {
      let entries = jobs
        .slice(i, i + BATCH)
        .map((job) => ({ Id: randomUUID(), MessageBody: noticeJobBody(job) }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.urls.send, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((f) => f.Id));
        if (failed.size > 0 && attempt >= ATTEMPTS) {
          // The planner's message is delivered again and queues the page anew; its sent notices are recognised.
          throw new Error(
            `SQS refused ${failed.size} notices after ${ATTEMPTS} attempts: ${result.Failed?.[0]?.Message}`,
          );
        }
        entries = entries.filter((entry) => failed.has(entry.Id));
      }
    }
  }
}
