// The SMS delivery events queue's message contract: End User Messaging's delivery events (raw, or in an SNS
// envelope) and a gateway's delivery reports as its webhook enqueues them. Producers and the consumer import this.
import { z } from 'zod';
import type { SmsDeliveryEvent } from '#app/ports';
import { type DeliveryReport, deliveryFailureReasonSchema } from '#domain/notice-delivery';

/**
 * The event types the configuration set sends to the topic: the final ones. TEXT_QUEUED and TEXT_PENDING say
 * nothing the report counts, and each would cost an SNS publish, an SQS message and a function call.
 */
export const DELIVERY_EVENT_TYPES = {
  TEXT_DELIVERED: { status: 'delivered' },
  // Accepted by the carrier: where carriers send no handset receipt, End User Messaging's final word on success.
  TEXT_SUCCESSFUL: { status: 'delivered' },
  TEXT_UNREACHABLE: { status: 'failed', reason: 'unreachable' },
  TEXT_CARRIER_UNREACHABLE: { status: 'failed', reason: 'unreachable' },
  TEXT_BLOCKED: { status: 'failed', reason: 'blocked' },
  TEXT_CARRIER_BLOCKED: { status: 'failed', reason: 'blocked' },
  TEXT_SPAM: { status: 'failed', reason: 'blocked' },
  TEXT_PROTECT_BLOCKED: { status: 'failed', reason: 'blocked' },
  TEXT_INVALID: { status: 'failed', reason: 'invalid-number' },
  TEXT_TTL_EXPIRED: { status: 'failed', reason: 'expired' },
  TEXT_INVALID_MESSAGE: { status: 'failed', reason: 'rejected' },
  TEXT_UNKNOWN: { status: 'failed', reason: 'unknown' },
} as const satisfies Record<string, DeliveryReport>;

/** One End User Messaging SMS event, as its configuration set publishes it (fields this app reads). */
export const END_USER_MESSAGING_SMS_EVENT = {
  name: 'end-user-messaging.sms-event',
  version: 1,
  schema: z.object({
    eventType: z.string().min(1),
    eventVersion: z.string().optional(),
    eventTimestamp: z.number().int().nonnegative(),
    /** False for a state the message may still leave (a carrier's temporary error is retried). */
    isFinal: z.boolean(),
    messageId: z.string().min(1),
    messageStatus: z.string().optional(),
    /** SendTextMessage's Context, copied: `notice` is the idempotency key of a notice's SMS. */
    context: z.record(z.string(), z.string()).optional(),
    totalMessageParts: z.number().int().optional(),
  }),
} as const;

export type EndUserMessagingSmsEvent = z.infer<typeof END_USER_MESSAGING_SMS_EVENT.schema>;

/** A gateway's delivery report as POST /sms/delivery-reports/{gateway} enqueues it, already mapped and checked. */
export const GATEWAY_DELIVERY_REPORT = {
  name: 'sms-gateway.delivery-report',
  version: 1,
  schema: z.strictObject({
    source: z.literal('gateway'),
    key: z.string().min(1).optional(),
    messageId: z.string().min(1).optional(),
    status: z.enum(['delivered', 'failed']).optional(),
    reason: deliveryFailureReasonSchema.optional(),
    reportedAt: z.iso.datetime({ offset: true }),
  }),
} as const;

/** The SNS envelope, present unless the subscription uses raw message delivery (the stack's does). */
const snsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

/** What an End User Messaging event says about its message. */
export function endUserMessagingReport(event: EndUserMessagingSmsEvent): DeliveryReport | undefined {
  const mapped: DeliveryReport | undefined =
    event.eventType in DELIVERY_EVENT_TYPES
      ? DELIVERY_EVENT_TYPES[event.eventType as keyof typeof DELIVERY_EVENT_TYPES]
      : undefined;
  // A failure that is not final may still be overcome (the carrier retries); a receipt is final whatever it says.
  if (!mapped || (mapped.status === 'failed' && !event.isFinal)) return undefined;
  return mapped;
}

/** Reads a record body (an End User Messaging event, raw or in an SNS envelope, or a gateway report). */
export function readSmsDeliveryEvent(body: string): SmsDeliveryEvent {
  let json: unknown = JSON.parse(body);
  const envelope = snsEnvelope.safeParse(json);
  if (envelope.success) json = JSON.parse(envelope.data.Message);
  const gateway = GATEWAY_DELIVERY_REPORT.schema.safeParse(json);
  if (gateway.success) {
    const { key, messageId, status, reason, reportedAt } = gateway.data;
    return {
      source: 'gateway',
      key,
      messageId,
      report:
        status === 'delivered'
          ? { status }
          : status === 'failed'
            ? { status, reason: reason ?? 'unknown' }
            : undefined,
      reportedAt: new Date(reportedAt).toISOString(),
    };
  }
  const event = END_USER_MESSAGING_SMS_EVENT.schema.parse(json);
  return {
    source: 'end-user-messaging',
    // Only a notice's SMS carries its key: a code's or a reply's context names no notice.
    key: event.context?.purpose === 'notice' ? event.context.notice : undefined,
    messageId: event.messageId,
    report: endUserMessagingReport(event),
    reportedAt: new Date(event.eventTimestamp).toISOString(),
  };
}

/** The queue message body for a gateway's delivery report (read back by readSmsDeliveryEvent). */
export function gatewayDeliveryBody(event: SmsDeliveryEvent): string {
  const message: z.infer<typeof GATEWAY_DELIVERY_REPORT.schema> = {
    source: 'gateway',
    key: event.key,
    messageId: event.messageId,
    status: event.report?.status,
    reason: event.report?.status === 'failed' ? event.report.reason : undefined,
    reportedAt: event.reportedAt,
  };
  return JSON.stringify(message);
}

/** An End User Messaging event as its configuration set would publish it (the local runtime's carrier, tests). */
export function endUserMessagingEventFor(message: {
  eventType: keyof typeof DELIVERY_EVENT_TYPES;
  messageId: string;
  context: Record<string, string>;
  at: Date;
  parts?: number;
}): EndUserMessagingSmsEvent {
  return {
    eventType: message.eventType,
    eventVersion: '1.0',
    eventTimestamp: message.at.getTime(),
    isFinal: true,
    messageId: message.messageId,
    messageStatus: message.eventType.replace(/^TEXT_/, ''),
    context: message.context,
    totalMessageParts: message.parts ?? 1,
  };
}
