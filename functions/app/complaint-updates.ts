// Use case: tell a complaint's reporter by SMS what staff did (assigned, resolved, rejected, merged), once each.
import { localize } from '#config/schema';
import type { Complaint } from '#domain/complaint';
import { type ComplaintUpdateEvent, complaintUpdateText } from '#domain/complaint-texts';
import { waitsOutQuietHours } from '#domain/outbound-purpose';
import { isQuiet, quietEnd } from '#domain/quiet-hours';
import { holdSms, messageIdOf, queueSms } from './outbound.ts';
import type { Deps } from './ports.ts';

export type UpdateDeps = Pick<Deps, 'config' | 'clock' | 'outbox' | 'outboundQueue' | 'heldMessages'>;

/** What became of an update: queued now, held for the end of the quiet hours, or not asked for. */
export type UpdateOutcome = 'queued' | 'held' | 'not-asked';

/**
 * Queues the reporter's SMS about `event` when they gave a phone and consented; in the quiet hours it is held and
 * queued when they end. Its outbox id is derived from (complaint, event), so a retried transition or merge queues
 * the same message again and the outbox sends it once.
 */
export async function notifyReporter(
  deps: UpdateDeps,
  complaint: Complaint,
  event: ComplaintUpdateEvent,
): Promise<UpdateOutcome> {
  if (!complaint.phone || !complaint.contactConsent) return 'not-asked';
  const { config } = deps;
  const type = config.complaints.types.find((t) => t.code === complaint.type);
  const body = complaintUpdateText(complaint.language, event, {
    utilityName: localize(config, config.name, complaint.language),
    trackingCode: complaint.trackingCode,
    typeName: type ? localize(config, type.name, complaint.language) : complaint.type,
    reason: complaint.rejectReason,
    original: complaint.mergedInto,
  });
  const message = {
    id: messageIdOf(`complaint-update:${complaint.id}:${event}`),
    to: complaint.phone,
    body,
    purpose: 'complaint-update' as const,
  };
  const now = deps.clock.now();
  const { quietHours } = config.notices;
  if (waitsOutQuietHours(message.purpose) && isQuiet(now, config.timeZone, quietHours)) {
    await holdSms(deps, message, quietEnd(now, config.timeZone, quietHours));
    return 'held';
  }
  await queueSms(deps, message);
  return 'queued';
}
