// The local composition root: the real DynamoDB stores on DynamoDB Local, the local SMS and e-mail outboxes, a given clock.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoInboundLog } from '#adapters/dynamo/inbound-log';
import { DynamoOptOutStore } from '#adapters/dynamo/opt-out-store';
import { DynamoOtpStore } from '#adapters/dynamo/otp-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { CountingMetrics } from '#adapters/local/counting-metrics';
import { LocalInboundQueue, StaticGatewaySecrets } from '#adapters/local/local-inbound-queue';
import { LocalEmailOutbox } from '#adapters/local/outbox-email';
import type { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { noProviderOptOuts } from '#adapters/none';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import type { Clock, Deps, Metrics } from '#app/ports';
import { deriveSigningKeys } from '#app/signing-keys';
import type { UtilityConfig } from '#config/schema';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { LocalQueue } from './local-queue.ts';

export interface LocalDepsOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: UtilityConfig;
  clock: Clock;
  sms: LocalSmsGateway;
  /** The local e-mail outbox. @default a new one */
  email?: LocalEmailOutbox;
  signingSecret: string;
  /** Each SMS gateway's shared secret, by gateway id. @default {} */
  gatewaySecrets?: Readonly<Record<string, string>>;
  /** The in-process inbound SMS queue; by default a new one feeding the sms-inbound consumer with these deps. */
  inboundQueue?: LocalQueue;
  /** Where business events are counted. @default a new counter */
  metrics?: CountingMetrics;
}

export const LOCAL_INBOUND_QUEUE_NAME = 'utilitydesk-inbound-sms';

/** An in-process stand-in for the inbound SMS queue, delivering to the sms-inbound consumer. */
export function localInboundQueue(getDeps: () => Promise<Deps>, clock: Clock, metrics: Metrics): LocalQueue {
  return new LocalQueue(
    LOCAL_INBOUND_QUEUE_NAME,
    (event) => runSqsBatch(smsInboundConsumer.handleRecord, event, getDeps),
    smsInboundConsumer.maxReceiveCount,
    metrics,
    () => clock.now(),
  );
}

export function createLocalDeps(options: LocalDepsOptions): Deps {
  const { client, tableName } = options;
  const optOuts = new DynamoOptOutStore(client, tableName);
  const metrics = options.metrics ?? new CountingMetrics();
  const queue = options.inboundQueue ?? localInboundQueue(async () => deps, options.clock, metrics);
  const deps: Deps = {
    config: options.config,
    clock: options.clock,
    accounts: new DynamoAccountStore(client, tableName),
    bills: new DynamoBillStore(client, tableName),
    otps: new DynamoOtpStore(client, tableName),
    sms: new OptOutAwareSms(options.sms, optOuts, noProviderOptOuts),
    email: options.email ?? new LocalEmailOutbox(options.clock),
    keys: deriveSigningKeys(options.signingSecret),
    subscriptions: new DynamoSubscriptionStore(client, tableName),
    optOuts,
    providerOptOuts: noProviderOptOuts,
    inbound: new DynamoInboundLog(client, tableName),
    readings: new DynamoReadingStore(client, tableName),
    gatewaySecrets: new StaticGatewaySecrets(options.gatewaySecrets ?? {}),
    inboundQueue: new LocalInboundQueue(queue),
    metrics,
  };
  return deps;
}
