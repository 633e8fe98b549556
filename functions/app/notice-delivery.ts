// Use case: record what the carrier reported about a notice's SMS on the notice and in its run's counts, once.
import type { UtilityConfig } from '#config/schema';
import { noticeIdOfKey } from '#domain/notice-delivery';
import type { Deps, SmsDeliveryEvent } from './ports.ts';

/**
 * The report came before the notice's outcome was recorded (the sender records a delivery's notices together,
 * after the provider answered): thrown, so the queue delivers the event again once the record is there.
 */
export class NoticeNotRecordedError extends Error {
  override name = 'NoticeNotRecordedError';
}

export type DeliveryEventResult =
  /** The notice's delivery changed, and its run's counts with it. */
  | 'recorded'
  /** The same report again, or one that an earlier report overrules: nothing changed. */
  | 'unchanged'
  /** Neither delivered nor failed for good (queued, pending, a carrier's temporary error). */
  | 'not-final'
  /** Names no notice of ours (a code, a reply, or a message from before the notice was recorded). */
  | 'unmatched';

/**
 * Finds the notice an event is about (the idempotency key it carries; else, for a gateway report, the message id
 * pointer) and records the report on it. An event for no notice is counted and dropped, not an error: codes and
 * replies have delivery events too. Redelivered and out-of-order events are safe: nextDelivery decides.
 */
export async function recordSmsDelivery(
  deps: Pick<Deps, 'notices' | 'metrics'>,
  event: SmsDeliveryEvent,
): Promise<DeliveryEventResult> {
  const result = await recordOn(deps, event);
  deps.metrics.count('SmsDeliveryReported', {
    source: event.source,
    outcome:
      result === 'recorded'
        ? event.report?.status === 'failed'
          ? `failed-${event.report.reason}`
          : 'delivered'
        : result,
  });
  return result;
}

async function recordOn(deps: Pick<Deps, 'notices'>, event: SmsDeliveryEvent): Promise<DeliveryEventResult> {
  if (!event.report) return 'not-final';
  let id = noticeIdOfKey(event.key);
  // Only a gateway's report may name its message by id alone; End User Messaging's carry the key of every notice.
  if (!id && event.source === 'gateway' && event.messageId)
    id = await deps.notices.noticeOfMessage(event.messageId);
  if (!id) return 'unmatched';
  // Both sources report on SMS: a notice the messenger delivered is not what they are about.
  const result = await deps.notices.recordDelivery(id, 'sms', event.report, Date.parse(event.reportedAt));
  if (result === 'sending') throw new NoticeNotRecordedError(`Notice ${id} is not recorded yet`);
  return result === 'unknown' ? 'unmatched' : result;
}

/**
 * Whether notices keep a provider message id -> notice pointer: only where SMS leave through a gateway whose
 * delivery reports name the message by the gateway's id alone (with our reference there is nothing to look up).
 */
export function needsMessagePointers(config: UtilityConfig): boolean {
  const outbound = config.channels.sms.outbound;
  if (outbound.provider !== 'gateway') return false;
  const gateway = config.channels.sms.inboundGateways.find((g) => g.id === outbound.gateway);
  const fields = gateway?.deliveryReports?.fields;
  return fields !== undefined && fields.reference === undefined;
}
