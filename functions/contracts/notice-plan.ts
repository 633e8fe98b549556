// The notice planner queue's message contract: one page of one fan-out shard of a run still to be read, or an
// announcement whose send time has come (put there by its one-time schedule).
import { z } from 'zod';
import { ANNOUNCEMENT_ID_PATTERN, type NoticeRunKey, noticeRunKeySchema } from '#domain/notice';

const pageSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('notice-plan-page'),
  run: noticeRunKeySchema,
  /** Which start of the run queued it: a page of an older start is not read again. */
  start: z.number().int().min(1),
  shard: z.number().int().min(0),
  /** The page cursor of the recipients index; absent for a shard's first page. */
  cursor: z.string().min(1).max(2048).optional(),
});

const announcementDueSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('announcement-due'),
  announcementId: z.string().regex(ANNOUNCEMENT_ID_PATTERN),
});

export const NOTICE_PLAN_PAGE = {
  name: 'notice.plan-page',
  version: 1,
  schema: z.discriminatedUnion('kind', [pageSchema, announcementDueSchema]),
} as const;

export interface NoticePlanPage {
  run: NoticeRunKey;
  start: number;
  shard: number;
  cursor?: string;
}

export type NoticePlanMessage =
  | { type: 'page'; page: NoticePlanPage }
  | { type: 'announcement-due'; id: string };

/** The queue message body for a page to plan. */
export function noticePlanPageBody(page: NoticePlanPage): string {
  const message: z.infer<typeof pageSchema> = { v: 1, kind: 'notice-plan-page', ...page };
  return JSON.stringify(message);
}

/** The queue message body an announcement's one-time schedule sends when its time comes. */
export function announcementDueBody(announcementId: string): string {
  const message: z.infer<typeof announcementDueSchema> = { v: 1, kind: 'announcement-due', announcementId };
  return JSON.stringify(message);
}

/** Reads a queue message body back; throws a readable error for anything else. */
export function readNoticePlanMessage(body: string): NoticePlanMessage {
  const message = NOTICE_PLAN_PAGE.schema.parse(JSON.parse(body));
  if (message.kind === 'announcement-due') return { type: 'announcement-due', id: message.announcementId };
  const { run, start, shard, cursor } = message;
  return { type: 'page', page: { run, start, shard, cursor } };
}
