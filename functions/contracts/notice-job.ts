// The notice sender queue's message contract: the keys of one notice to send, nothing a person could be recognised by.
import { z } from 'zod';
import { type NoticeRunKey, noticeRunKeySchema } from '#domain/notice';

export const NOTICE_JOB = {
  name: 'notice.job',
  version: 1,
  schema: z.strictObject({
    v: z.literal(1),
    kind: z.literal('notice'),
    run: noticeRunKeySchema,
    /** The account whose bill it carries: a key, read with the subscription in one batch. */
    accountNumber: z.string().min(1).max(40),
    /** The subscription the notice goes to: its phone, channel and language are read at send time. */
    subscriptionId: z.string().min(1).max(100),
  }),
} as const;

export interface NoticeJob {
  run: NoticeRunKey;
  accountNumber: string;
  subscriptionId: string;
}

/** The queue message body for a notice to send. */
export function noticeJobBody(job: NoticeJob): string {
  const message: z.infer<typeof NOTICE_JOB.schema> = { v: 1, kind: 'notice', ...job };
  return JSON.stringify(message);
}

/** Reads a queue message body back; throws a readable error for anything else. */
export function readNoticeJob(body: string): NoticeJob {
  const { run, accountNumber, subscriptionId } = NOTICE_JOB.schema.parse(JSON.parse(body));
  return { run, accountNumber, subscriptionId };
}
