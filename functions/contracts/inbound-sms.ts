// The inbound SMS queue's message contract: what its producers write (SNS from End User Messaging, the gateway
// webhook, the local runtime) and what its consumer reads. Both sides import this module and nothing else.
import { z } from 'zod';
import type { InboundSms } from '#app/ports';

export const INBOUND_SMS_EVENT = {
  name: 'end-user-messaging.inbound-sms',
  version: 1,
  schema: z.object({
    originationNumber: z.string().min(1),
    destinationNumber: z.string().min(1),
    messageKeyword: z.string().optional(),
    messageBody: z.string(),
    inboundMessageId: z.string().min(1),
    previousPublishedMessageId: z.string().optional(),
  }),
} as const;

export type InboundSmsEvent = z.infer<typeof INBOUND_SMS_EVENT.schema>;

/** The SNS envelope around the message, present unless the subscription uses raw delivery. */
const snsEnvelope = z.object({
  Type: z.literal('Notification'),
  Message: z.string(),
  Timestamp: z.iso.datetime(),
});

/**
 * What the SMS gateway webhook enqueues: the raw End User Messaging shape plus `sentAt`, when the resident
 * sent it as the gateway reported it (raw delivery has no SNS Timestamp to take it from).
 */
export const GATEWAY_SMS_EVENT = {
  name: 'sms-gateway.inbound-sms',
  version: 1,
  schema: INBOUND_SMS_EVENT.schema.extend({ sentAt: z.iso.datetime({ offset: true }) }),
} as const;

const rawSentAt = z.object({ sentAt: z.iso.datetime({ offset: true }) });

/** Reads a record body (SNS envelope or raw) into an inbound SMS; throws a readable error otherwise. */
export function readInboundSms(body: string, receivedAt: Date): InboundSms {
  let json: unknown = JSON.parse(body);
  let sentAt = receivedAt.toISOString();
  const envelope = snsEnvelope.safeParse(json);
  if (envelope.success) {
    json = JSON.parse(envelope.data.Message);
    sentAt = new Date(envelope.data.Timestamp).toISOString();
  } else {
    const raw = rawSentAt.safeParse(json);
    if (raw.success) sentAt = new Date(raw.data.sentAt).toISOString();
  }
  const event = INBOUND_SMS_EVENT.schema.parse(json);
  return {
    messageId: event.inboundMessageId,
    from: event.originationNumber,
    to: event.destinationNumber,
    body: event.messageBody,
    sentAt,
  };
}

/** Wraps an inbound SMS the way SNS delivers it into SQS (used by the local runtime and tests). */
export function snsEnvelopeFor(sms: Omit<InboundSms, 'sentAt'>, topicArn: string, now: Date): string {
  const message: InboundSmsEvent = {
    originationNumber: sms.from,
    destinationNumber: sms.to,
    messageKeyword: sms.body.trim().split(/\s+/)[0]?.toUpperCase() ?? '',
    messageBody: sms.body,
    inboundMessageId: sms.messageId,
    previousPublishedMessageId: '',
  };
  return JSON.stringify({
    Type: 'Notification',
    MessageId: sms.messageId,
    TopicArn: topicArn,
    Message: JSON.stringify(message),
    Timestamp: now.toISOString(),
    SignatureVersion: '1',
  });
}

/** The queue message body for an inbound SMS from a gateway webhook (read back by readInboundSms). */
export function gatewayQueueBody(sms: InboundSms): string {
  const message: z.infer<typeof GATEWAY_SMS_EVENT.schema> = {
    originationNumber: sms.from,
    destinationNumber: sms.to,
    messageKeyword: sms.body.trim().split(/\s+/)[0]?.toUpperCase() ?? '',
    messageBody: sms.body,
    inboundMessageId: sms.messageId,
    sentAt: sms.sentAt,
  };
  return JSON.stringify(message);
}
