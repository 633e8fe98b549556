// The Lambda composition root: picks the AWS adapters, reads config at cold start, built once.

import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EmbeddedMetrics } from '#adapters/aws/embedded-metrics';
import { EndUserMessagingOptOuts } from '#adapters/aws/end-user-messaging-opt-outs';
import { EndUserMessagingSms } from '#adapters/aws/end-user-messaging-sms';
import { parseGatewaySecretArns, SecretsManagerGatewaySecrets } from '#adapters/aws/gateway-secrets';
import { PinpointSms } from '#adapters/aws/pinpoint-sms';
import { SchedulerAnnouncementTimer } from '#adapters/aws/scheduler-announcement-timer';
import { lazySecret, readSecretString } from '#adapters/aws/secrets';
import { SesEmail } from '#adapters/aws/ses-email';
import { SnsOptOuts, SnsSms } from '#adapters/aws/sns-sms';
import { SqsNoticeQueues } from '#adapters/aws/sqs-notice-queues';
import { SqsQueue, unwiredQueue } from '#adapters/aws/sqs-queue';
import { systemClock } from '#adapters/clock';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoAnnouncementStore } from '#adapters/dynamo/announcement-store';
import { DynamoBillDropLog } from '#adapters/dynamo/bill-drop-log';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoBillingStore } from '#adapters/dynamo/billing-store';
import { createDocumentClient } from '#adapters/dynamo/client';
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
import { GatewaySms } from '#adapters/http/gateway-sms';
import { MessengerGateway } from '#adapters/http/messenger-gateway';
import { noBillingExchange, noEmail, noMessenger, noPhotoBucket, noProviderOptOuts } from '#adapters/none';
import { needsMessagePointers } from '#app/notice-delivery';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import type {
  AnnouncementTimer,
  BillDropFiles,
  Deps,
  EmailSender,
  GatewaySecrets,
  MessengerSender,
  NoticeQueues,
  ProviderOptOutList,
  ReadingExports,
  SmsSender,
} from '#app/ports';
import { deriveSigningKeys } from '#app/signing-keys';
import { parseUtilityConfig } from '#config/schema';
import { billSweepPageBody } from '#contracts/bill-sweep';
import { billingPageBody } from '#contracts/billing-page';
import { gatewayQueueBody } from '#contracts/inbound-sms';
import { outboundMessageBody } from '#contracts/outbound-message';
import { gatewayDeliveryBody } from '#contracts/sms-delivery-event';
import { metrics, traced } from './observability.ts';

/** Throws with the variable's name when the deployment did not set it. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/**
 * The configured SMS provider: the sender, and the provider's own opt-out list checked before notices.
 * The bundler replaces process.env.UTILITY_SMS_PROVIDER with the configured provider's name (esbuild define),
 * so the other branches fold away and their SDK clients stay out of the bundle; unbundled, the config decides.
 */
function smsProvider(
  config: Deps['config'],
  gatewaySecrets: GatewaySecrets,
): { sender: SmsSender; optOuts: ProviderOptOutList } {
  const outbound = config.channels.sms.outbound;
  if (
    (process.env.UTILITY_SMS_PROVIDER ?? 'end-user-messaging') === 'end-user-messaging' &&
    outbound.provider === 'end-user-messaging'
  ) {
    const client = traced(new PinpointSMSVoiceV2Client({}));
    // Set by the CDK stack on the functions that send SMS; the others build the sender but never send.
    const protectConfigurationId = process.env.SMS_PROTECT_CONFIGURATION_ID;
    // The stack's configuration set (its delivery events feed the notice report), unless the config names its own.
    const configurationSet = outbound.configurationSet ?? process.env.SMS_CONFIGURATION_SET_NAME;
    return {
      sender: new EndUserMessagingSms(client, { ...outbound, configurationSet, protectConfigurationId }),
      optOuts: new EndUserMessagingOptOuts(client, outbound.optOutListName),
    };
  }
  if ((process.env.UTILITY_SMS_PROVIDER ?? 'sns') === 'sns' && outbound.provider === 'sns') {
    const client = traced(new SNSClient({}));
    return { sender: new SnsSms(client, outbound), optOuts: new SnsOptOuts(client) };
  }
  if ((process.env.UTILITY_SMS_PROVIDER ?? 'pinpoint') === 'pinpoint' && outbound.provider === 'pinpoint') {
    // Pinpoint's SMS channel records STOPs in End User Messaging's opt-out lists.
    return {
      sender: new PinpointSms(traced(new PinpointClient({})), outbound),
      optOuts: new EndUserMessagingOptOuts(traced(new PinpointSMSVoiceV2Client({})), outbound.optOutListName),
    };
  }
  if ((process.env.UTILITY_SMS_PROVIDER ?? 'gateway') === 'gateway' && outbound.provider === 'gateway') {
    const gateway = config.channels.sms.inboundGateways.find((g) => g.id === outbound.gateway);
    // The schema checks this; repeated so a bad bundle fails at cold start, not at the first send.
    if (!gateway) throw new Error(`No SMS gateway ${outbound.gateway} is configured`);
    // The aggregator keeps its opt-outs to itself; ours (OptOutStore) still apply to every notice.
    return { sender: new GatewaySms(gateway, gatewaySecrets), optOuts: noProviderOptOuts };
  }
  throw new Error(
    `Bundled for SMS provider ${process.env.UTILITY_SMS_PROVIDER}, but the configuration names ${outbound.provider}`,
  );
}

/** The configured e-mail sender; UTILITY_EMAIL_PROVIDER is defined at bundle time like UTILITY_SMS_PROVIDER. */
function emailSender(config: Deps['config']): EmailSender {
  const email = config.channels.email;
  if ((process.env.UTILITY_EMAIL_PROVIDER ?? 'ses') === 'ses' && email.provider === 'ses')
    return new SesEmail(traced(new SESv2Client({})), email);
  if (email.provider === 'none') return noEmail;
  throw new Error(
    `Bundled for e-mail provider ${process.env.UTILITY_EMAIL_PROVIDER}, but the configuration names ${email.provider}`,
  );
}

/**
 * The configured messenger: the HTTP template API with its key from Secrets Manager (MESSENGER_SECRET_ARN, set on
 * the functions that send notices), or none, whose every send answers "unreachable" so the notice goes by SMS.
 */
function messengerSender(config: Deps['config'], secretsManager: SecretsManagerClient): MessengerSender {
  const messenger = config.channels.messenger;
  switch (messenger.provider) {
    case 'none':
      return noMessenger;
    case 'alimtalk-http': {
      const secretArn = process.env.MESSENGER_SECRET_ARN;
      // The others build the sender but never send; a send there is a wiring fault, retried and then dead-lettered.
      const apiKey = secretArn
        ? lazySecret(secretsManager, secretArn)
        : () => Promise.reject(new Error('Environment variable MESSENGER_SECRET_ARN is not set'));
      return new MessengerGateway(messenger, apiKey);
    }
    case 'local':
      // The CDK app refuses such a config; repeated so a bad bundle fails at cold start, not at the first send.
      throw new Error('channels.messenger.provider "local" is the local runtime\'s stand-in, not for Lambda');
  }
}

async function build(): Promise<Deps> {
  // The bundler replaces this exact expression with the configuration checked at synth time
  // (esbuild define), so it must stay a literal property access, not process.env[name].
  const configJson = process.env.UTILITY_CONFIG_JSON;
  if (!configJson) throw new Error('Environment variable UTILITY_CONFIG_JSON is not set');
  const config = parseUtilityConfig(JSON.parse(configJson), 'UTILITY_CONFIG_JSON');
  const table = requireEnv('TABLE_NAME');
  // Every AWS SDK client is traced: each call is a subsegment of the invocation's trace in X-Ray.
  // The document client shares its DynamoDB client's middleware stack, so tracing it traces that client.
  const client = traced(createDocumentClient({}));
  const secretsManager = traced(new SecretsManagerClient({}));
  const secret = await readSecretString(secretsManager, requireEnv('SIGNING_SECRET_ARN'));
  // Set on the SMS gateway webhook's function only; the others never enqueue inbound SMS.
  const inboundQueueUrl = process.env.INBOUND_QUEUE_URL;
  // Set on the functions that text codes, reply to SMS or confirm readings: they queue; only sms-outbound sends.
  const outboundQueueUrl = process.env.OUTBOUND_QUEUE_URL;
  // Set on the functions that start or plan notice runs: the planner queue, and for the planner the notice queue.
  const noticePlanQueueUrl = process.env.NOTICE_PLAN_QUEUE_URL;
  const noticeSendQueueUrl = process.env.NOTICE_SEND_QUEUE_URL;
  // Set on the gateway delivery-report webhook's function only.
  const deliveryEventsQueueUrl = process.env.DELIVERY_EVENTS_QUEUE_URL;
  // Set on the billing-run schedule and the billing queue's consumer.
  const billingQueueUrl = process.env.BILLING_QUEUE_URL;
  // Set on the overdue-bills schedule's function and the bill sweep consumer.
  const billSweepQueueUrl = process.env.BILL_SWEEP_QUEUE_URL;
  const sqs =
    inboundQueueUrl ||
    outboundQueueUrl ||
    noticePlanQueueUrl ||
    deliveryEventsQueueUrl ||
    billingQueueUrl ||
    billSweepQueueUrl
      ? traced(new SQSClient({}))
      : undefined;
  // Set on the webhook's function, and on every function that sends SMS through a gateway.
  const gatewaySecrets = new SecretsManagerGatewaySecrets(
    secretsManager,
    parseGatewaySecretArns(process.env.GATEWAY_SECRET_ARNS),
  );
  const provider = smsProvider(config, gatewaySecrets);
  const optOuts = new DynamoOptOutStore(client, table);
  return {
    config,
    clock: systemClock,
    accounts: new DynamoAccountStore(client, table, config.billing.run.shards),
    bills: new DynamoBillStore(client, table, config.subscriptions.fanOutShards),
    otps: new DynamoOtpStore(client, table),
    sms: new OptOutAwareSms(provider.sender, optOuts, provider.optOuts, config.country),
    email: emailSender(config),
    keys: deriveSigningKeys(secret),
    subscriptions: new DynamoSubscriptionStore(client, table),
    optOuts,
    providerOptOuts: provider.optOuts,
    inbound: new DynamoInboundLog(client, table),
    readings: new DynamoReadingStore(client, table),
    gatewaySecrets,
    inboundQueue:
      sqs && inboundQueueUrl
        ? new SqsQueue(sqs, inboundQueueUrl, gatewayQueueBody)
        : unwiredQueue('INBOUND_QUEUE_URL'),
    counters: new DynamoCounterStore(client, table),
    outbox: new DynamoOutboxStore(client, table),
    outboundQueue:
      sqs && outboundQueueUrl
        ? new SqsQueue(sqs, outboundQueueUrl, outboundMessageBody)
        : unwiredQueue('OUTBOUND_QUEUE_URL'),
    metrics: new EmbeddedMetrics(metrics),
    notices: new DynamoNoticeStore(client, table, { messagePointers: needsMessagePointers(config) }),
    noticeSources: new DynamoNoticeSources(client, table),
    noticeQueues: noticeQueues(sqs, noticePlanQueueUrl, noticeSendQueueUrl),
    messenger: messengerSender(config, secretsManager),
    announcements: new DynamoAnnouncementStore(client, table),
    announcementTimer: announcementTimer(config.timeZone),
    billDrops: new DynamoBillDropLog(client, table),
    complaints: new DynamoComplaintStore(client, table),
    heldMessages: new DynamoHeldMessageStore(client, table),
    open311Keys: new DynamoOpen311KeyStore(client, table),
    deliveryEvents:
      sqs && deliveryEventsQueueUrl
        ? new SqsQueue(sqs, deliveryEventsQueueUrl, gatewayDeliveryBody)
        : unwiredQueue('DELIVERY_EVENTS_QUEUE_URL'),
    billing: new DynamoBillingStore(client, table, config.subscriptions.fanOutShards),
    billingQueue:
      sqs && billingQueueUrl
        ? new SqsQueue(sqs, billingQueueUrl, billingPageBody)
        : unwiredQueue('BILLING_QUEUE_URL'),
    payments: new DynamoPaymentStore(client, table),
    billSweepQueue:
      sqs && billSweepQueueUrl
        ? new SqsQueue(sqs, billSweepQueueUrl, billSweepPageBody)
        : unwiredQueue('BILL_SWEEP_QUEUE_URL'),
    ...(await billingExchange(config)),
    photoBucket: await photoBucket(),
  };
}

/**
 * The complaint photo bucket, on the functions the stack names it to (PHOTO_BUCKET): the upload form route, the
 * photo check and the staff photo view. UTILITY_PHOTO_BUCKET is defined at bundle time like UTILITY_SMS_PROVIDER,
 * so the other functions' bundles leave the S3 client out; loaded only when named, so no other cold start pays.
 */
async function photoBucket(): Promise<Deps['photoBucket']> {
  const bucket = process.env.PHOTO_BUCKET;
  if ((process.env.UTILITY_PHOTO_BUCKET ?? 'used') === 'used' && bucket) {
    const [{ S3Client }, { S3PhotoBucket }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('#adapters/aws/s3-photo-bucket'),
    ]);
    return new S3PhotoBucket(traced(new S3Client({})), bucket);
  }
  return noPhotoBucket;
}

/**
 * The billing exchange bucket, on the functions the stack names it to (BILLING_EXCHANGE_BUCKET): the bill drop
 * consumer, and whatever exports readings. UTILITY_BILLING_ENGINE is defined at bundle time like
 * UTILITY_SMS_PROVIDER, so an internal-engine utility's bundles leave the S3 client out; loaded only when named, so
 * no other function's cold start pays for it.
 */
async function billingExchange(
  config: Deps['config'],
): Promise<Pick<Deps, 'readingExports' | 'billDropFiles'>> {
  const bucket = process.env.BILLING_EXCHANGE_BUCKET;
  if (
    (process.env.UTILITY_BILLING_ENGINE ?? 'external') === 'external' &&
    config.billing.engine === 'external' &&
    bucket
  ) {
    const [{ S3Client }, { S3ReadingExports }, { S3BillDropFiles }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('#adapters/aws/s3-reading-exports'),
      import('#adapters/aws/s3-bill-drops'),
    ]);
    const s3 = traced(new S3Client({}));
    const readingExports: ReadingExports = new S3ReadingExports(s3, bucket);
    const billDropFiles: BillDropFiles = new S3BillDropFiles(s3, bucket);
    return { readingExports, billDropFiles };
  }
  return { readingExports: noBillingExchange, billDropFiles: noBillingExchange };
}

/** Set on the function that creates announcements only: the others may not make schedules. */
function announcementTimer(timeZone: string): AnnouncementTimer {
  const group = process.env.ANNOUNCEMENT_SCHEDULE_GROUP;
  if (!group) {
    return {
      at: async () => {
        throw new Error(
          'Environment variable ANNOUNCEMENT_SCHEDULE_GROUP is not set: this function may not schedule announcements',
        );
      },
    };
  }
  return new SchedulerAnnouncementTimer(traced(new SchedulerClient({})), {
    group,
    queueArn: requireEnv('ANNOUNCEMENT_TARGET_QUEUE_ARN'),
    roleArn: requireEnv('ANNOUNCEMENT_SCHEDULER_ROLE_ARN'),
    deadLetterArn: requireEnv('ANNOUNCEMENT_DEAD_LETTER_ARN'),
    timeZone,
  });
}

/** The notice queues a function may write to; a write to one its environment does not name is a wiring fault. */
function noticeQueues(
  sqs: SQSClient | undefined,
  planUrl: string | undefined,
  sendUrl: string | undefined,
): NoticeQueues {
  const plan = sqs && planUrl ? new SqsNoticeQueues(sqs, { plan: planUrl, send: sendUrl ?? '' }) : undefined;
  return {
    plan: (page) => (plan ? plan.plan(page) : unwiredQueue('NOTICE_PLAN_QUEUE_URL').enqueue()),
    send: (jobs) => (plan && sendUrl ? plan.send(jobs) : unwiredQueue('NOTICE_SEND_QUEUE_URL').enqueue()),
  };
}

let built: Promise<Deps> | undefined;

export function lambdaDeps(): Promise<Deps> {
  if (!built) {
    built = build();
    // A failed cold start (e.g. Secrets Manager throttled) is retried on the next invocation.
    built.catch(() => {
      built = undefined;
    });
  }
  return built;
}
