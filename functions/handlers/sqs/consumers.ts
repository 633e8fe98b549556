// Every queue consumer, with the file its Lambda function is built from: read by the CDK stack and the local runtime.

import type { QueueUrlVariable } from '#adapters/aws/sqs-queue';
import type { TableAccess } from '#adapters/dynamo/table-definition';
import type { UtilityConfig } from '#config/schema';
import { handleRecord as billDrop } from '../s3/bill-drop.ts';
import { handleRecord as photoUploaded } from '../s3/photo-uploaded.ts';
import { handleRecord as billSweep } from './bill-sweep.ts';
import { handleRecord as billingRun } from './billing-run.ts';
import { handleRecord as noticePlan } from './notice-plan.ts';
import { handleRecord as noticeSend } from './notice-send.ts';
import { handleRecord as smsDeliveryEvents } from './sms-delivery-events.ts';
import { handleRecord as smsInbound } from './sms-inbound.ts';
import { handleRecord as smsOutbound } from './sms-outbound.ts';
import type { RecordHandler } from './sqs-handler.ts';

export interface ConsumerEntry {
  /** Construct id of the consumer's function and queue. */
  id: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  handleRecord: RecordHandler;
  table: TableAccess;
  sendsSms: boolean;
  /** Whether it sends e-mail (reading confirmations): it is then allowed to use SES. */
  sendsEmail: boolean;
  /** Deliveries of one message before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  /** The event source's maximum concurrency (2 to 1,000), where the consumer must not outrun a provider. */
  maxConcurrency?: (config: UtilityConfig) => number;
  /** Whether it sends by messenger (it may then read the messenger provider's secret). */
  sendsMessenger?: boolean;
  /** The consumers' queues it writes to, each named to it by an environment variable. */
  writesTo?: ReadonlyArray<{ consumerId: string; variable: QueueUrlVariable }>;
}

/** Inbound SMS: End User Messaging two-way SMS publishes to an SNS topic that feeds this queue. */
export const smsInboundConsumer: ConsumerEntry = {
  id: 'SmsInbound',
  entry: 'functions/handlers/sqs/sms-inbound.ts',
  handleRecord: smsInbound,
  table: 'RW',
  // Replies and confirmation e-mails are queued for SmsOutbound: this consumer calls no provider.
  sendsSms: false,
  sendsEmail: false,
  maxReceiveCount: 3,
  writesTo: [{ consumerId: 'SmsOutbound', variable: 'OUTBOUND_QUEUE_URL' }],
};

/**
 * The outbound sender: codes, replies to inbound SMS and reading confirmation e-mails are queued by id and sent
 * here, so no request waits for a provider and an outage delays a message instead of losing it. A failed send is
 * retried by the queue; after maxReceiveCount deliveries the job goes to the dead-letter queue.
 */
export const smsOutboundConsumer: ConsumerEntry = {
  id: 'SmsOutbound',
  entry: 'functions/handlers/sqs/sms-outbound.ts',
  handleRecord: smsOutbound,
  table: 'RW',
  sendsSms: true,
  sendsEmail: true,
  maxReceiveCount: 3,
};

/** The notice planner: one page of one fan-out shard per message; it queues the page's notices and the next page. */
export const noticePlanConsumer: ConsumerEntry = {
  id: 'NoticePlan',
  entry: 'functions/handlers/sqs/notice-plan.ts',
  handleRecord: noticePlan,
  table: 'RW',
  sendsSms: false,
  sendsEmail: false,
  maxReceiveCount: 5,
  writesTo: [
    { consumerId: 'NoticePlan', variable: 'NOTICE_PLAN_QUEUE_URL' },
    { consumerId: 'NoticeSend', variable: 'NOTICE_SEND_QUEUE_URL' },
  ],
};

/**
 * A batch of ten notices takes about a second with the provider's answers (the ten run side by side), so each
 * concurrent sender sends about ten a second: the concurrency is the provider's rate over ten, at least 2 (the
 * event source's minimum).
 */
export const SENDS_PER_SECOND_PER_INSTANCE = 10;

/** The notice sender: claims each notice, sends it by messenger or SMS, records it once. */
export const noticeSendConsumer: ConsumerEntry = {
  id: 'NoticeSend',
  entry: 'functions/handlers/sqs/notice-send.ts',
  handleRecord: noticeSend,
  table: 'RW',
  sendsSms: true,
  sendsEmail: false,
  sendsMessenger: true,
  maxReceiveCount: 5,
  maxConcurrency: (config) =>
    Math.min(1000, Math.max(2, Math.ceil(config.notices.messagesPerSecond / SENDS_PER_SECOND_PER_INSTANCE))),
};

/**
 * SMS delivery events: End User Messaging's configuration set publishes them to an SNS topic that feeds this queue,
 * and the gateway delivery-report webhook enqueues its reports here; each updates its notice and run counts once.
 */
export const smsDeliveryEventsConsumer: ConsumerEntry = {
  id: 'SmsDeliveryEvents',
  entry: 'functions/handlers/sqs/sms-delivery-events.ts',
  handleRecord: smsDeliveryEvents,
  table: 'RW',
  sendsSms: false,
  sendsEmail: false,
  maxReceiveCount: 3,
};

/**
 * The billing run: one page of one part of the account index per message; it bills the page's accounts, queues the
 * part's next page, and when the run is done plans the bill notices again if their day has come.
 */
export const billingRunConsumer: ConsumerEntry = {
  id: 'Billing',
  entry: 'functions/handlers/sqs/billing-run.ts',
  handleRecord: billingRun,
  table: 'RW',
  sendsSms: false,
  sendsEmail: false,
  maxReceiveCount: 5,
  // Its next pages; bill notices planned again after a late run; leak-check notices straight to the sender.
  writesTo: [
    { consumerId: 'Billing', variable: 'BILLING_QUEUE_URL' },
    { consumerId: 'NoticePlan', variable: 'NOTICE_PLAN_QUEUE_URL' },
    { consumerId: 'NoticeSend', variable: 'NOTICE_SEND_QUEUE_URL' },
  ],
};

/**
 * The bill sweep: one page of one fan-out shard of the unpaid bills due on a date per message; it marks them
 * overdue (each only if still unpaid) and queues the shard's next page.
 */
export const billSweepConsumer: ConsumerEntry = {
  id: 'BillSweep',
  entry: 'functions/handlers/sqs/bill-sweep.ts',
  handleRecord: billSweep,
  table: 'RW',
  sendsSms: false,
  sendsEmail: false,
  maxReceiveCount: 5,
  writesTo: [{ consumerId: 'BillSweep', variable: 'BILL_SWEEP_QUEUE_URL' }],
};

export const queueConsumers: ConsumerEntry[] = [
  smsInboundConsumer,
  smsOutboundConsumer,
  noticePlanConsumer,
  noticeSendConsumer,
  smsDeliveryEventsConsumer,
  billingRunConsumer,
  billSweepConsumer,
];

/**
 * Bill files the utility's own billing system drops into the billing exchange bucket (billing.engine "external"):
 * S3's ObjectCreated events for bills/incoming/*.csv feed this queue. Not in queueConsumers: its queue and function
 * exist only with the exchange bucket (lib/billing-exchange.ts).
 */
export const billDropConsumer: ConsumerEntry = {
  id: 'BillDrop',
  entry: 'functions/handlers/s3/bill-drop.ts',
  handleRecord: billDrop,
  table: 'RW',
  sendsSms: false,
  sendsEmail: false,
  // A file that fails three imports (the table unreachable, a bug) waits in the dead-letter queue for a person.
  maxReceiveCount: 3,
};

/**
 * S3's ObjectCreated events for uploads/ of the complaint photo bucket feed this queue. Not in queueConsumers: its
 * queue, function and bucket are made together (lib/complaint-photos.ts).
 */
export const photoCheckConsumer: ConsumerEntry = {
  id: 'PhotoCheck',
  entry: 'functions/handlers/s3/photo-uploaded.ts',
  handleRecord: photoUploaded,
  table: 'RW',
  sendsSms: false,
  sendsEmail: false,
  // A photo that fails three checks (the table unreachable, a decoder crash) waits in the dead-letter queue.
  maxReceiveCount: 3,
};
