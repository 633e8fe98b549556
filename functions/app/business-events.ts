// The business events operators watch: each use case counts what happened through the Metrics port.

/** The CloudWatch namespace the events are published in: the dashboard and the alarms read it. */
export const METRICS_NAMESPACE = 'UtilityDesk';

/**
 * Every event, with the dimensions it may carry. Dimension values are low-cardinality words (a reason, a
 * source, a purpose), never a phone, an account or an address: each distinct combination is a metric to pay for.
 */
export const BUSINESS_EVENTS = {
  CodeSent: { description: 'One-time codes texted (login or sign-up)', dimensions: ['purpose'] },
  CodeDecoy: {
    description: 'Code requests for an unregistered phone or unknown account: answered alike, nothing sent',
    dimensions: ['purpose'],
  },
  CodeRefused: {
    description: 'Code requests refused by a limit (phone, client, account, lock, daily ceiling)',
    dimensions: ['reason'],
  },
  CodeSmsCeilingReached: {
    description: "The utility's daily ceiling of code SMS was reached: codes stop until local midnight",
    dimensions: [],
  },
  SignUpStarted: {
    description: 'Bill-notice sign-ups started (public or by the account holder)',
    dimensions: ['by'],
  },
  SubscriptionVerified: { description: 'Sign-ups confirmed with their code', dimensions: [] },
  SubscriptionEnded: { description: 'Subscriptions ended or opted out', dimensions: ['by'] },
  ReadingAccepted: { description: 'Meter readings accepted (flagged ones included)', dimensions: ['source'] },
  ReadingFlagged: {
    description: 'Accepted readings far above the usual consumption',
    dimensions: ['source'],
  },
  ReadingRejected: { description: 'Meter readings refused, by rule', dimensions: ['reason'] },
  SmsReplySent: { description: 'Replies to inbound SMS', dimensions: ['kind'] },
  EmailSent: { description: 'Confirmation e-mails sent', dimensions: [] },
  EmailCapped: {
    description: 'Confirmation e-mails not sent because of the per-account or per-address cap',
    dimensions: [],
  },
  MessageDeadLettered: { description: 'Queue messages that failed every delivery', dimensions: ['queue'] },
} as const satisfies Record<string, { description: string; dimensions: readonly string[] }>;

export type BusinessEvent = keyof typeof BUSINESS_EVENTS;

/** The dimensions an event takes, by name. */
export type EventDimensions<E extends BusinessEvent> = {
  [D in (typeof BUSINESS_EVENTS)[E]['dimensions'][number]]: string;
};
