// The notice planner queue's message contract: one page of one fan-out shard of a run still to be read.
import { z } from 'zod';
import { type NoticeRunKey, noticeRunKeySchema } from '#domain/notice';

export const NOTICE_PLAN_PAGE = {
  name: 'notice.plan-page',
  version: 1,
  schema: z.strictObject({
    v: z.literal(1),
    kind: z.literal('notice-plan-page'),
    run: noticeRunKeySchema,
    /** Which start of the run queued it: a page of an older start is not read again. */
    start: z.number().int().min(1),
    shard: z.number().int().min(0),
    /** The page cursor of the recipients index; absent for a shard's first page. */
    cursor: z.string().min(1).max(2048).optional(),
  }),
} as const;

export interface NoticePlanPage {
  run: NoticeRunKey;
  start: number;
  shard: number;
  cursor?: string;
}

/** The queue message body for a page to plan. */
export function noticePlanPageBody(page: NoticePlanPage): string {
  const message: z.infer<typeof NOTICE_PLAN_PAGE.schema> = { v: 1, kind: 'notice-plan-page', ...page };
  return JSON.stringify(message);
}

/** Reads a queue message body back; throws a readable error for anything else. */
export function readNoticePlanPage(body: string): NoticePlanPage {
  const { run, start, shard, cursor } = NOTICE_PLAN_PAGE.schema.parse(JSON.parse(body));
  return { run, start, shard, cursor };
}
