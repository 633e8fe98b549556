// The Lambda composition root: picks the AWS adapters, reads config at cold start, built once.
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EndUserMessagingOptOuts } from '#adapters/aws/end-user-messaging-opt-outs';
import { EndUserMessagingSms } from '#adapters/aws/end-user-messaging-sms';
import { parseGatewaySecretArns, SecretsManagerGatewaySecrets } from '#adapters/aws/gateway-secrets';
import { readSecretString } from '#adapters/aws/secrets';
import { noInboundQueue, SqsInboundQueue } from '#adapters/aws/sqs-inbound-queue';
import { systemClock } from '#adapters/clock';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoInboundLog } from '#adapters/dynamo/inbound-log';
import { DynamoOptOutStore } from '#adapters/dynamo/opt-out-store';
import { DynamoOtpStore } from '#adapters/dynamo/otp-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { OptOutAwareSms } from '#app/opt-out-aware-sms';
import type { Deps, ProviderOptOutList, SmsSender } from '#app/ports';
import { deriveSigningKeys } from '#app/signing-keys';
import { parseUtilityConfig } from '#config/schema';

/** Throws with the variable's name when the deployment did not set it. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

function smsProvider(config: Deps['config']): { sender: SmsSender; optOuts: ProviderOptOutList } {
  const outbound = config.channels.sms.outbound;
  switch (outbound.provider) {
    case 'end-user-messaging': {
      const client = new PinpointSMSVoiceV2Client({});
      return {
        sender: new EndUserMessagingSms(client, outbound),
        optOuts: new EndUserMessagingOptOuts(client, outbound.optOutListName),
      };
    }
  }
}

async function build(): Promise<Deps> {
  // The bundler replaces this exact expression with the configuration checked at synth time
  // (esbuild define), so it must stay a literal property access, not process.env[name].
  const configJson = process.env.UTILITY_CONFIG_JSON;
  if (!configJson) throw new Error('Environment variable UTILITY_CONFIG_JSON is not set');
  const config = parseUtilityConfig(JSON.parse(configJson), 'UTILITY_CONFIG_JSON');
  const table = requireEnv('TABLE_NAME');
  const client = createDocumentClient({});
  const secretsManager = new SecretsManagerClient({});
  const secret = await readSecretString(secretsManager, requireEnv('SIGNING_SECRET_ARN'));
  // Set on the SMS gateway webhook's function only; the others never enqueue or read gateway secrets.
  const inboundQueueUrl = process.env.INBOUND_QUEUE_URL;
  const provider = smsProvider(config);
  const optOuts = new DynamoOptOutStore(client, table);
  return {
    config,
    clock: systemClock,
    accounts: new DynamoAccountStore(client, table),
    bills: new DynamoBillStore(client, table),
    otps: new DynamoOtpStore(client, table),
    sms: new OptOutAwareSms(provider.sender, optOuts, provider.optOuts),
    keys: deriveSigningKeys(secret),
    subscriptions: new DynamoSubscriptionStore(client, table),
    optOuts,
    providerOptOuts: provider.optOuts,
    inbound: new DynamoInboundLog(client, table),
    readings: new DynamoReadingStore(client, table),
    gatewaySecrets: new SecretsManagerGatewaySecrets(
      secretsManager,
      parseGatewaySecretArns(process.env.GATEWAY_SECRET_ARNS),
    ),
    inboundQueue: inboundQueueUrl ? new SqsInboundQueue(new SQSClient({}), inboundQueueUrl) : noInboundQueue,
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
