// The local composition root: the real DynamoDB stores on DynamoDB Local, the local SMS, messenger and e-mail outboxes, a given clock.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoAnnouncementStore } from '#adapters/dynamo/announcement-store';
import { DynamoBillDropLog } from '#adapters/dynamo/bill-drop-log';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoBillingStore } from '#adapters/dynamo/billing-store';
import { DynamoComplaintStore } from '#adapters/dynamo/complaint-store';
import { DynamoCounterStore } from '#adapters/dynamo/counter-store';
import { DynamoHeldMessageStore } from '#adapters/dynamo/held-message-store';
import { DynamoInboundLog } from '#adapters/dynamo/inbound-log';
import { DynamoNoticeSources } from '#adapters/dynamo/notice-sources';
import { DynamoNoticeStore } from '#adapters/dynamo/notice-store';
import { DynamoOpen311KeyStore } from '#adapters/dynamo/open311-key-store';
import { DynamoOptOutStore } from '#adapters/dynamo/opt-out-store';
import { DynamoOtpStore } from '#adapters/dynamo/otp-store';
import { DynamoOutboxStore } from '#adapters/dynamo/outbox-store';
import { DynamoPaymentStore } from '#adapters/dynamo/payment-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { ChannelOutbox } from '#adapters/local/channel-outbox';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import { LocalAnnouncementTimer } from '#adapters/local/local-announcement-timer';
import { LocalBillSweepQueue } from '#adapters/local/local-bill-sweep-queue';
import { LocalBillingExchange } from '#adapters/local/local-billing-exchange';
import { LocalBillingQueue } from '#adapters/local/local-billing-queue';
import { LocalDeliveryEventQueue } from '#adapters/local/local-delivery-events';
import { LocalInboundQueue, StaticGatewaySecrets } from '#adapters/local/local-inbound-queue';
import { LocalNoticeQueues } from '#adapters/local/local-notice-queues';
import { LocalOutboundQueue } from '#adapters/local/local-outbound-queue';
import { LocalPhotoBucket } from '#adapters/local/local-photo-bucket';
import { LocalEmailOutbox } from '#adapters/local/outbox-email';
import { LocalMessenger } from '#adapters/local/outbox-messenger';
import { noMessenger, noProviderOptOuts } from '#adapters/none';
import { needsMessagePointers } from '#app/notice-delivery';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import type { Clock, Deps, MessengerSender, Metrics, SmsSender } from '#app/ports';
import { deriveSigningKeys } from '#app/signing-keys';
import type { UtilityConfig } from '#config/schema';
import {
  billingRunConsumer,
  billSweepConsumer,
  type ConsumerEntry,
  noticePlanConsumer,
  noticeSendConsumer,
  smsDeliveryEventsConsumer,
  smsInboundConsumer,
  smsOutboundConsumer,
} from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { LocalQueue } from './local-queue.ts';

export interface LocalDepsOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: UtilityConfig;
  clock: Clock;
  /** Where SMS go: the local outbox, or (tests) a stand-in for a provider. */
  sms: SmsSender;
  /** The local e-mail outbox. @default a new one */
  email?: LocalEmailOutbox;
  signingSecret: string;
  /** Each SMS gateway's shared secret, by gateway id. @default {} */
  gatewaySecrets?: Readonly<Record<string, string>>;
  /** The in-process inbound SMS queue; by default a new one feeding the sms-inbound consumer with these deps. */
  inboundQueue?: LocalQueue;
  /**
   * The in-process outbound SMS queue, and whether a request returns before it is sent (the runtime, as in AWS)
   * or after (tests, which read the outbox at once). @default a new one feeding sms-outbound, not in background
   */
  outboundQueue?: { queue: LocalQueue; background: boolean };
  /** Where business events are counted. @default a new counter */
  metrics?: CountingMetrics;
  /** Where messenger messages go. @default localMessengerFor(config, a new outbox) */
  messenger?: MessengerSender;
  /** The in-process notice queues. @default new ones feeding the planner and the sender with these deps */
  noticeQueues?: LocalNoticeQueues;
  announcementTimer?: LocalAnnouncementTimer;
  /** The in-process SMS delivery events queue. @default a new one feeding sms-delivery-events with these deps */
  deliveryEventsQueue?: LocalQueue;
  /** The in-process billing queue. @default a new one feeding the billing-run consumer with these deps */
  billingQueue?: LocalQueue;
  /** The in-process bill sweep queue. @default a new one feeding bill-sweep with these deps */
  billSweepQueue?: LocalBillSweepQueue;
  /** The folder standing in for the billing exchange bucket. @default a new folder under the system's temp dir */
  billingExchange?: LocalBillingExchange;
  /** The folder standing in for the complaint photo bucket. @default a new folder under the system's temp dir */
  photoBucket?: LocalPhotoBucket;
}

/**
 * The local stand-in for the utility's messenger: the local messenger writing to `outbox` when the utility has a
 * messenger profile (its template keys, if the profile names them), none otherwise.
 */
export function localMessengerFor(
  config: UtilityConfig,
  outbox: ChannelOutbox,
  print?: (line: string) => void,
): MessengerSender {
  const messenger = config.channels.messenger;
  if (messenger.provider === 'none') return noMessenger;
  const templateKeys = messenger.provider === 'alimtalk-http' ? Object.keys(messenger.templates) : undefined;
  return new LocalMessenger(outbox, print, templateKeys);
}

export const LOCAL_INBOUND_QUEUE_NAME = 'utilitydesk-inbound-sms';

/** An in-process stand-in for a consumer's queue, delivering to its handler as SQS would. */
export function localConsumerQueue(
  consumer: ConsumerEntry,
  getDeps: () => Promise<Deps>,
  clock: Clock,
  metrics: Metrics,
  /** Consumer calls at once (an event source's maximum concurrency). @default unbounded */
  concurrency?: number,
): LocalQueue {
  return new LocalQueue(
    `utilitydesk-${consumer.id}`,
    (event) => runSqsBatch(consumer.handleRecord, event, getDeps),
    consumer.maxReceiveCount,
    metrics,
    () => clock.now(),
    undefined,
    concurrency,
  );
}

/** The notice planner's and sender's in-process queues, the sender as concurrent as the deployment's. */
export function localNoticeQueues(
  getDeps: () => Promise<Deps>,
  config: UtilityConfig,
  clock: Clock,
  metrics: Metrics,
): LocalNoticeQueues {
  return new LocalNoticeQueues({
    plan: localConsumerQueue(noticePlanConsumer, getDeps, clock, metrics, 4),
    send: localConsumerQueue(
      noticeSendConsumer,
      getDeps,
      clock,
      metrics,
      noticeSendConsumer.maxConcurrency?.(config),
    ),
  });
}

/** The billing queue's in-process stand-in: four pages billed at once, as a deployment's consumer would. */
export function localBillingQueue(getDeps: () => Promise<Deps>, clock: Clock, metrics: Metrics): LocalQueue {
  return localConsumerQueue(billingRunConsumer, getDeps, clock, metrics, 4);
}

/** An in-process stand-in for the inbound SMS queue, delivering to the sms-inbound consumer. */
export function localInboundQueue(getDeps: () => Promise<Deps>, clock: Clock, metrics: Metrics): LocalQueue {
  return localConsumerQueue(smsInboundConsumer, getDeps, clock, metrics);
}

/** The bill sweep's in-process queue, feeding the bill-sweep consumer. */
export function localBillSweepQueue(
  getDeps: () => Promise<Deps>,
  clock: Clock,
  metrics: Metrics,
): LocalBillSweepQueue {
  return new LocalBillSweepQueue(localConsumerQueue(billSweepConsumer, getDeps, clock, metrics));
}

export function createLocalDeps(options: LocalDepsOptions): Deps {
  const { client, tableName } = options;
  const optOuts = new DynamoOptOutStore(client, tableName);
  const metrics = options.metrics ?? new CountingMetrics();
  const queue = options.inboundQueue ?? localInboundQueue(async () => deps, options.clock, metrics);
  const outbound = options.outboundQueue ?? {
    queue: localConsumerQueue(smsOutboundConsumer, async () => deps, options.clock, metrics),
    background: false,
  };
  const noticeQueues =
    options.noticeQueues ?? localNoticeQueues(async () => deps, options.config, options.clock, metrics);
  // Created on the first write: most worlds never export or drop anything.
  const exchange =
    options.billingExchange ??
    new LocalBillingExchange(join(tmpdir(), `utilitydesk-exchange-${randomUUID()}`));
  const deps: Deps = {
    config: options.config,
    clock: options.clock,
    accounts: new DynamoAccountStore(client, tableName, options.config.billing.run.shards),
    bills: new DynamoBillStore(client, tableName, options.config.subscriptions.fanOutShards),
    otps: new DynamoOtpStore(client, tableName),
    sms: new OptOutAwareSms(options.sms, optOuts, noProviderOptOuts, options.config.country),
    email: options.email ?? new LocalEmailOutbox(options.clock),
    keys: deriveSigningKeys(options.signingSecret),
    subscriptions: new DynamoSubscriptionStore(client, tableName),
    optOuts,
    providerOptOuts: noProviderOptOuts,
    inbound: new DynamoInboundLog(client, tableName),
    readings: new DynamoReadingStore(client, tableName),
    gatewaySecrets: new StaticGatewaySecrets(options.gatewaySecrets ?? {}),
    inboundQueue: new LocalInboundQueue(queue),
    counters: new DynamoCounterStore(client, tableName),
    outbox: new DynamoOutboxStore(client, tableName),
    outboundQueue: new LocalOutboundQueue(outbound.queue, outbound.background),
    metrics,
    notices: new DynamoNoticeStore(client, tableName, {
      messagePointers: needsMessagePointers(options.config),
    }),
    noticeSources: new DynamoNoticeSources(client, tableName),
    noticeQueues,
    announcements: new DynamoAnnouncementStore(client, tableName),
    announcementTimer:
      options.announcementTimer ?? new LocalAnnouncementTimer((body) => noticeQueues.sendToPlanner(body)),
    messenger: options.messenger ?? localMessengerFor(options.config, new ChannelOutbox(options.clock)),
    deliveryEvents: new LocalDeliveryEventQueue(
      options.deliveryEventsQueue ??
        localConsumerQueue(smsDeliveryEventsConsumer, async () => deps, options.clock, metrics),
    ),
    billing: new DynamoBillingStore(client, tableName, options.config.subscriptions.fanOutShards),
    billingQueue: new LocalBillingQueue(
      options.billingQueue ?? localBillingQueue(async () => deps, options.clock, metrics),
    ),
    payments: new DynamoPaymentStore(client, tableName),
    billSweepQueue: options.billSweepQueue ?? localBillSweepQueue(async () => deps, options.clock, metrics),
    readingExports: exchange,
    billDrops: new DynamoBillDropLog(client, tableName),
    complaints: new DynamoComplaintStore(client, tableName),
    heldMessages: new DynamoHeldMessageStore(client, tableName),
    open311Keys: new DynamoOpen311KeyStore(client, tableName),
    billDropFiles: exchange,
    photoBucket:
      options.photoBucket ??
      new LocalPhotoBucket(join(tmpdir(), `utilitydesk-photos-${randomUUID()}`), options.clock),
  };
  return deps;
}
