// A notice's delivery as the carrier reported it (delivered, or failed with a reason), and which report stands.
import { z } from 'zod';
import type { NoticeChannel } from './notice.ts';

/**
 * Why a sent notice did not reach the phone, in the carrier's words reduced to what an operator acts on.
 * unreachable: phone off, out of coverage, or the carrier's network failed; blocked: the phone, the carrier or a
 * spam filter refused it; invalid-number: no such subscriber; expired: undelivered within the message's life;
 * rejected: the provider would not send the text itself; unknown: the provider never heard back (End User
 * Messaging reports that after 72 hours).
 */
export const deliveryFailureReasonSchema = z.enum([
  'unreachable',
  'blocked',
  'invalid-number',
  'expired',
  'rejected',
  'unknown',
]);
export type DeliveryFailureReason = z.infer<typeof deliveryFailureReasonSchema>;

/** What one delivery report says happened to a message. */
export type DeliveryReport = { status: 'delivered' } | { status: 'failed'; reason: DeliveryFailureReason };

export const noticeDeliveryStatusSchema = z.enum(['delivered', 'failed']);

/** The delivery recorded on a notice. */
export interface NoticeDelivery {
  status: z.infer<typeof noticeDeliveryStatusSchema>;
  reason?: DeliveryFailureReason;
}

/**
 * The delivery a report leaves on a notice that has `current`, or undefined when the report changes nothing.
 * The first report is taken. After that, only 'delivered' replaces 'failed': carriers report a failure they later
 * overcome (an unreachable phone switched on within the message's life; End User Messaging's UNKNOWN after 72 hours
 * followed by the carrier's late receipt), while a receipt is the handset's own word and no later failure undoes
 * it. A second failure keeps the first one's reason. So the same report twice, and reports in any order, leave one
 * answer, and each notice is counted once: delivered, or failed by one reason.
 */
export function nextDelivery(
  current: NoticeDelivery | undefined,
  report: DeliveryReport,
): NoticeDelivery | undefined {
  if (!current) return report;
  if (current.status === 'failed' && report.status === 'delivered') return { status: 'delivered' };
  return undefined;
}

/** The run counter increments that moving a notice of `channel` from `from` to `to` adds (named as runCountsOf reads them). */
export function deliveryCountsOf(
  channel: NoticeChannel,
  from: NoticeDelivery | undefined,
  to: NoticeDelivery,
): Record<string, number> {
  const field = (delivery: NoticeDelivery) =>
    delivery.status === 'delivered'
      ? `delivered.${channel}`
      : `failed.${channel}.${delivery.reason ?? 'unknown'}`;
  return { ...(from ? { [field(from)]: -1 } : {}), [field(to)]: 1 };
}

/** A notice id (noticeId: 32 base64url characters), or the key of its SMS after the messenger (`<id>-sms`). */
const NOTICE_KEY = /^([A-Za-z0-9_-]{32})(?:-sms)?$/;

/**
 * The notice a message's idempotency key names, or undefined for a key that names none (a code's or a reply's
 * outbox id): the key of a notice's SMS is the notice id itself, or `<id>-sms` when it followed the messenger.
 */
export function noticeIdOfKey(key: string | undefined): string | undefined {
  return key ? NOTICE_KEY.exec(key)?.[1] : undefined;
}
