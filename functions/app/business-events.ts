// The business events operators watch: each use case counts what happened through the Metrics port.

/** The CloudWatch namespace the events are published in: the dashboard and the alarms read it. */
export const METRICS_NAMESPACE = 'UtilityDesk';

export interface BusinessEventDefinition {
  description: string;
  dimensions: readonly string[];
  /** The dashboard row the event is drawn in: events of one group sit together, in catalogue order. */
  group: string;
  /** Counted by the local runtime only: the AWS dashboard names it and says where AWS shows the same thing. */
  localOnly?: true;
}

/**
 * Every event, with the dimensions it may carry. Dimension values are low-cardinality words (a reason, a
 * source, a purpose), never a phone, an account or an address: each distinct combination is a metric to pay for.
 */
export const BUSINESS_EVENTS = {
  CodeSent: {
    description: 'One-time codes texted (login or sign-up)',
    dimensions: ['purpose'],
    group: 'One-time codes',
  },
  CodeDecoy: {
    description: 'Code requests for an unregistered phone or unknown account: answered alike, nothing sent',
    dimensions: ['purpose'],
    group: 'One-time codes',
  },
  CodeRefused: {
    description: 'Code requests refused by a limit (phone, client, account, lock, daily ceiling)',
    dimensions: ['reason'],
    group: 'One-time codes',
  },
  CodeSmsCeilingReached: {
    description: "The utility's daily ceiling of code SMS was reached: codes stop until local midnight",
    dimensions: [],
    group: 'One-time codes',
  },
  SignUpStarted: {
    description: 'Bill-notice sign-ups started (public or by the account holder)',
    dimensions: ['by'],
    group: 'Sign-ups',
  },
  SubscriptionVerified: {
    description: 'Sign-ups confirmed with their code',
    dimensions: [],
    group: 'Sign-ups',
  },
  SubscriptionEnded: {
    description: 'Subscriptions ended or opted out',
    dimensions: ['by'],
    group: 'Sign-ups',
  },
  ReadingAccepted: {
    description: 'Meter readings accepted (flagged ones included)',
    dimensions: ['source'],
    group: 'Readings',
  },
  ReadingFlagged: {
    description: 'Accepted readings far above the usual consumption',
    dimensions: ['source'],
    group: 'Readings',
  },
  ReadingRejected: {
    description: 'Meter readings refused, by rule',
    dimensions: ['reason'],
    group: 'Readings',
  },
  SmsReplySent: {
    description:
      'Replies to inbound SMS queued for the outbound sender (its SmsDelivered says what became of them)',
    dimensions: ['kind'],
    group: 'Replies and e-mails',
  },
  SmsReplyWithheld: {
    description:
      "Replies to inbound SMS not sent: the sender is abroad, or had its day's share of replies (the message is still acted on)",
    dimensions: ['reason'],
    group: 'Replies and e-mails',
  },
  EmailSent: {
    description: 'Confirmation e-mails the provider took (sent by the outbound sender)',
    dimensions: [],
    group: 'Replies and e-mails',
  },
  EmailCapped: {
    description: 'Confirmation e-mails not sent because of the per-account or per-address cap',
    dimensions: [],
    group: 'Replies and e-mails',
  },
  EmailRefused: {
    description:
      'Queued confirmation e-mails the provider refused for good (SES MessageRejected, a malformed address): recorded, not retried',
    dimensions: [],
    group: 'Replies and e-mails',
  },
  NoticeRunStarted: {
    description:
      'Notice runs started or started again (a repeated schedule firing of a started run is not counted)',
    dimensions: ['kind'],
    group: 'Notices',
  },
  AnnouncementCreated: {
    description: 'Announcements staff created (a request repeated with its Idempotency-Key is not counted)',
    dimensions: ['kind'],
    group: 'Notices',
  },
  NoticeSent: {
    description: 'Notices the provider took, by kind and channel (messenger, or SMS, fallback included)',
    dimensions: ['kind', 'channel'],
    group: 'Notices',
  },
  NoticeFellBack: {
    description: 'Notices the messenger could not deliver, sent by SMS instead',
    dimensions: ['kind'],
    group: 'Notices',
  },
  NoticeSkipped: {
    description:
      'Notices not sent, by reason: not subscribed (ended, or from a later period), opted out, no bill, refused by the provider, too long',
    dimensions: ['kind', 'reason'],
    group: 'Notices',
  },
  SmsDeliveryReported: {
    description:
      "Carriers' delivery reports (End User Messaging events, gateway reports), by source and what they did: " +
      'delivered or failed-<reason> (a notice changed), unchanged (repeated or overruled), not-final, unmatched ' +
      '(no notice of ours: codes, replies)',
    dimensions: ['source', 'outcome'],
    group: 'Notices',
  },
  SmsDelivered: {
    description:
      'Queued SMS the outbound sender finished with, by outcome: sent, refused for good by the provider (or abroad), ' +
      'expired in the queue (a code past its life), dropped (a decoy), duplicate (a redelivery) or missing',
    dimensions: ['outcome'],
    group: 'Outbound SMS',
  },
  BillingRunStarted: {
    description: 'Billing runs started (by the schedule, or again by ops)',
    dimensions: [],
    group: 'Billing',
  },
  BillCreated: {
    description:
      'Bills the billing run made, by how the volume was got: actual, average, normative, reconciled',
    dimensions: ['method'],
    group: 'Billing',
  },
  BillingFailed: {
    description:
      'Accounts the billing run could not bill, by reason (no meter, unknown meter kind, no tariff)',
    dimensions: ['reason'],
    group: 'Billing',
  },
  MessageDeadLettered: {
    description:
      "Queue messages that failed every delivery. Counted by the local runtime's queue; in AWS no function " +
      "sees a dead-letter queue, so the dashboard shows each one's depth instead",
    dimensions: ['queue'],
    group: 'Queues',
    localOnly: true,
  },
} as const satisfies Record<string, BusinessEventDefinition>;

export type BusinessEvent = keyof typeof BUSINESS_EVENTS;

/** The dimensions an event takes, by name. */
export type EventDimensions<E extends BusinessEvent> = {
  [D in (typeof BUSINESS_EVENTS)[E]['dimensions'][number]]: string;
};
