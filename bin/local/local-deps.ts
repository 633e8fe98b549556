// The local composition root: the real DynamoDB stores on DynamoDB Local, the local SMS outbox, a given clock.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoInboundLog } from '#adapters/dynamo/inbound-log';
import { DynamoOptOutStore } from '#adapters/dynamo/opt-out-store';
import { DynamoOtpStore } from '#adapters/dynamo/otp-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { noProviderOptOuts } from '#adapters/local/no-provider-opt-outs';
import type { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import type { Clock, Deps } from '#app/ports';
import { deriveSigningKeys } from '#app/signing-keys';
import type { UtilityConfig } from '#config/schema';

export interface LocalDepsOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  config: UtilityConfig;
  clock: Clock;
  sms: LocalSmsGateway;
  signingSecret: string;
}

export function createLocalDeps(options: LocalDepsOptions): Deps {
  const { client, tableName } = options;
  const optOuts = new DynamoOptOutStore(client, tableName);
  return {
    config: options.config,
    clock: options.clock,
    accounts: new DynamoAccountStore(client, tableName),
    bills: new DynamoBillStore(client, tableName),
    otps: new DynamoOtpStore(client, tableName),
    sms: new OptOutAwareSms(options.sms, optOuts, noProviderOptOuts),
    keys: deriveSigningKeys(options.signingSecret),
    subscriptions: new DynamoSubscriptionStore(client, tableName),
    optOuts,
    providerOptOuts: noProviderOptOuts,
    inbound: new DynamoInboundLog(client, tableName),
    readings: new DynamoReadingStore(client, tableName),
  };
}
