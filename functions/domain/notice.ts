// Notices: what identifies one (so it is sent once), a notice run and its outcome counts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { e164Schema } from './account.ts';
import {
  type DeliveryFailureReason,
  deliveryFailureReasonSchema,
  noticeDeliveryStatusSchema,
} from './notice-delivery.ts';
import { PERIOD_PATTERN } from './period.ts';

/**
 * bill: the monthly bill notice of a period; announcement: staff's message to the subscribers of some districts.
 * The billing cycle's: reading-window (the window of a month opens: send your reading), due-reminder (a bill's due
 * date is near), leak-check (a bill's usage is far above the account's average) and auto-pay-result (the bank's
 * answer for a bill); the last two go to one account's subscribers at a time (functions/app/account-notices.ts).
 */
export const noticeKindSchema = z.enum([
  'bill',
  'announcement',
  'reading-window',
  'due-reminder',
  'leak-check',
  'auto-pay-result',
]);
export type NoticeKind = z.infer<typeof noticeKindSchema>;

/** An announcement's id: 16 random (or, with an idempotency key, derived) bytes in base64url. */
export const ANNOUNCEMENT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A run: every notice of one kind for one period, or of one announcement, however often it is started. */
export const noticeRunKeySchema = z
  .strictObject({
    kind: noticeKindSchema,
    /**
     * The announcement's id of an announcement's run; a period (YYYY-MM) for every other kind: the bill's period,
     * or the reading window's month for a reading-window run.
     */
    ref: z.string().min(1).max(64),
  })
  .superRefine(({ kind, ref }, ctx) => {
    const byPeriod = kind !== 'announcement';
    const pattern = byPeriod ? PERIOD_PATTERN : ANNOUNCEMENT_ID_PATTERN;
    if (!pattern.test(ref)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ref'],
        message: byPeriod ? 'a period as YYYY-MM' : 'an announcement id',
      });
    }
  });

/** Kinds sent to one account's subscribers when something happens to its bill, never in a run over everyone. */
export const ACCOUNT_NOTICE_KINDS = ['leak-check', 'auto-pay-result'] as const;
export type AccountNoticeKind = (typeof ACCOUNT_NOTICE_KINDS)[number];

export const isAccountNoticeKind = (kind: NoticeKind): kind is AccountNoticeKind =>
  (ACCOUNT_NOTICE_KINDS as readonly string[]).includes(kind);
export type NoticeRunKey = z.infer<typeof noticeRunKeySchema>;

/** The text of a run's key, as reports and logs show it: `bill/2026-12`. */
export const runName = (run: NoticeRunKey) => `${run.kind}/${run.ref}`;

/** One notice to one phone: what the outbound sender sends once, whatever happens to the run around it. */
export interface NoticeKey extends NoticeRunKey {
  accountNumber: string;
  phone: string;
}

/**
 * The notice's id: the same for every attempt, run and restart, so the claim in the table and the idempotency key
 * a provider is given are one and the same. A hash, so the key carries no phone number to a provider's logs.
 */
export function noticeId(key: NoticeKey): string {
  return createHash('sha256')
    .update([key.kind, key.ref, key.accountNumber, key.phone].join('\n'))
    .digest('base64url')
    .slice(0, 32);
}

export const noticeChannelSchema = z.enum(['messenger', 'sms']);
export type NoticeChannel = z.infer<typeof noticeChannelSchema>;

/**
 * Why a notice was not sent, or failed for good. Not retried: the run's report shows each.
 * not-subscribed: the subscription ended, or starts with a later period, before its notice went;
 * opted-out: the phone sent STOP (here or at the provider); no-bill: the account has no bill for the period;
 * refused: the provider refused the number for good (blocked, abroad, invalid); too-long: the text cannot be sent
 * whole; not-in-district: the account moved out of the announcement's districts after it was indexed;
 * paid: a due reminder for a bill paid in full since; not-self-read: a reading-window reminder to an account whose
 * meters the utility reads; not-applicable: the notice does not fit the account (an auto-pay result for an account
 * that pays by giro, or a bill with no auto-pay result recorded).
 */
export const noticeSkipReasonSchema = z.enum([
  'not-subscribed',
  'opted-out',
  'no-bill',
  'refused',
  'too-long',
  'not-in-district',
  'paid',
  'not-self-read',
  'not-applicable',
]);
export type NoticeSkipReason = z.infer<typeof noticeSkipReasonSchema>;

/** What happened to a notice, recorded once its send is over. */
export type NoticeOutcome =
  | {
      status: 'sent';
      channel: NoticeChannel;
      /** Sent by SMS after the messenger could not deliver it. */
      fallback: boolean;
      providerMessageId: string;
      /** Message parts billed by the carrier (SMS) or 1 (messenger, LMS). */
      parts: number;
      /** SMS, LMS (Korea), or the messenger. */
      format: 'SMS' | 'LMS' | 'messenger';
    }
  | { status: 'skipped'; reason: NoticeSkipReason; detail?: string };

export const noticeRecordSchema = z.strictObject({
  id: z.string().min(1),
  kind: noticeKindSchema,
  ref: z.string().min(1),
  accountNumber: z.string().min(1),
  phone: e164Schema,
  subscriptionId: z.string().min(1),
  /** sending: claimed by a sender; done: its outcome is recorded. */
  status: z.enum(['sending', 'done']),
  claimedAt: z.number().int(),
  completedAt: z.number().int().optional(),
  outcome: z.enum(['sent', 'skipped']).optional(),
  channel: noticeChannelSchema.optional(),
  fallback: z.boolean().optional(),
  providerMessageId: z.string().optional(),
  parts: z.number().int().min(0).optional(),
  format: z.enum(['SMS', 'LMS', 'messenger']).optional(),
  reason: noticeSkipReasonSchema.optional(),
  detail: z.string().optional(),
  /** A sent notice's delivery, as the carrier's reports left it (notice-delivery.ts: which report stands). */
  delivery: noticeDeliveryStatusSchema.optional(),
  deliveryReason: deliveryFailureReasonSchema.optional(),
  /** When the delivery now recorded was reported (epoch ms). */
  deliveryAt: z.number().int().optional(),
});
export type NoticeRecord = z.infer<typeof noticeRecordSchema>;

/**
 * planning: its shards are being read; planned: every notice of the run is on the queue (or was sent);
 * waiting: held by the quiet hours, planned again from `resumeAt` (the notices it sent stay sent).
 */
export const noticeRunSchema = z.strictObject({
  kind: noticeKindSchema,
  ref: z.string().min(1),
  status: z.enum(['planning', 'planned', 'waiting']),
  /** When a waiting run goes on: the end of the quiet hours. */
  resumeAt: z.iso.datetime({ offset: true }).optional(),
  createdAt: z.iso.datetime({ offset: true }),
  /** When the schedule meant it to start (a late firing is the same run). */
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
  /** How many times it was started (the first start and every resume). */
  starts: z.number().int().min(1),
  shards: z.number().int().min(1),
  /** Shards read to their end, in the latest start. */
  shardsPlanned: z.array(z.number().int().min(0)),
});
export type NoticeRun = z.infer<typeof noticeRunSchema>;

/** The counts of a run, summed over its counter shards. */
export interface NoticeRunCounts {
  /** Notices put on the queue, each counted once however often its page was read. */
  planned: number;
  sent: number;
  /** Sent, by channel. */
  byChannel: Record<NoticeChannel, number>;
  /** Sent by SMS after the messenger could not deliver. */
  fellBack: number;
  /** Message parts sent by SMS, by format. */
  smsParts: number;
  lmsMessages: number;
  skipped: Partial<Record<NoticeSkipReason, number>>;
  /** Sent notices the carrier reported delivered, by channel. */
  delivered: Record<NoticeChannel, number>;
  /** Sent notices the carrier reported failed, by channel and reason. */
  failed: Record<NoticeChannel, Partial<Record<DeliveryFailureReason, number>>>;
}

export const emptyRunCounts = (): NoticeRunCounts => ({
  planned: 0,
  sent: 0,
  byChannel: { messenger: 0, sms: 0 },
  fellBack: 0,
  smsParts: 0,
  lmsMessages: 0,
  skipped: {},
  delivered: { messenger: 0, sms: 0 },
  failed: { messenger: {}, sms: {} },
});

/** The counter increments one recorded outcome adds to its run: the adapter adds them in the same write. */
export function countsOf(outcome: NoticeOutcome): Record<string, number> {
  if (outcome.status === 'skipped') return { [`skipped.${outcome.reason}`]: 1 };
  return {
    sent: 1,
    [`channel.${outcome.channel}`]: 1,
    ...(outcome.fallback ? { fellBack: 1 } : {}),
    ...(outcome.format === 'SMS' ? { smsParts: outcome.parts } : {}),
    ...(outcome.format === 'LMS' ? { lmsMessages: 1 } : {}),
  };
}

/** Reads counter fields (as countsOf names them, summed) back into a run's counts. */
export function runCountsOf(fields: Record<string, number>): NoticeRunCounts {
  const counts = emptyRunCounts();
  for (const [name, value] of Object.entries(fields)) {
    const [head, tail, rest] = name.split('.');
    const reason = head === 'skipped' ? noticeSkipReasonSchema.safeParse(tail) : undefined;
    const channel = noticeChannelSchema.safeParse(tail);
    const failure = head === 'failed' ? deliveryFailureReasonSchema.safeParse(rest) : undefined;
    if (head === 'delivered' && channel.success) {
      counts.delivered[channel.data] += value;
    } else if (failure?.success && channel.success) {
      const failed = counts.failed[channel.data];
      failed[failure.data] = (failed[failure.data] ?? 0) + value;
    } else if (reason?.success) {
      counts.skipped[reason.data] = (counts.skipped[reason.data] ?? 0) + value;
    } else if (head === 'channel' && (tail === 'sms' || tail === 'messenger'))
      counts.byChannel[tail] += value;
    else if (name === 'planned') counts.planned += value;
    else if (name === 'sent') counts.sent += value;
    else if (name === 'fellBack') counts.fellBack += value;
    else if (name === 'smsParts') counts.smsParts += value;
    else if (name === 'lmsMessages') counts.lmsMessages += value;
  }
  return counts;
}
