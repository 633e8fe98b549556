// The AWS side of the SMS gateway webhook: the SQS message it sends, the secrets it reads, the Lambda entrypoint.
import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseGatewaySecretArns, SecretsManagerGatewaySecrets } from '#adapters/aws/gateway-secrets';
import { SqsQueue, unwiredQueue } from '#adapters/aws/sqs-queue';
import { loadUtilityConfig } from '#config/load';
import { gatewayQueueBody } from '#contracts/inbound-sms';
import { signGatewayBody } from '#domain/gateway-signature';
import { httpEvent, lambdaContext } from '#test/support/http';

const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const QUEUE_URL = 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/inbound';
const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:gateway-kr';
const SMS = {
  messageId: 'kr-aggregator:123',
  from: '01012345678',
  to: '16610120',
  body: '중지',
  sentAt: '2026-12-16T05:00:00.000Z',
};

beforeEach(() => {
  sqs.reset();
  secrets.reset();
});

describe('the SQS inbound queue adapter', () => {
  it('sends one SendMessage to the inbound queue, in the raw End User Messaging shape plus sentAt', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-1' });
    const queue = new SqsQueue(new SQSClient({ region: 'ap-northeast-2' }), QUEUE_URL, gatewayQueueBody);

    await queue.enqueue(SMS);

    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify({
        originationNumber: '01012345678',
        destinationNumber: '16610120',
        messageKeyword: '중지',
        messageBody: '중지',
        inboundMessageId: 'kr-aggregator:123',
        sentAt: '2026-12-16T05:00:00.000Z',
      }),
    });
  });

  it('lets a failed send fail the request, so the gateway retries', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('KMS.ThrottlingException'));
    const queue = new SqsQueue(new SQSClient({ region: 'ap-northeast-2' }), QUEUE_URL, gatewayQueueBody);
    await expect(queue.enqueue(SMS)).rejects.toThrow(/Throttling/);
  });

  it('is absent from functions without INBOUND_QUEUE_URL, loudly', async () => {
    await expect(unwiredQueue('INBOUND_QUEUE_URL').enqueue()).rejects.toThrow(/INBOUND_QUEUE_URL/);
  });
});

describe('the Secrets Manager gateway secrets', () => {
  it('reads a gateway secret once, and knows nothing of unconfigured gateways', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: 'k' });
    const store = new SecretsManagerGatewaySecrets(new SecretsManagerClient({ region: 'ap-northeast-2' }), {
      'kr-aggregator': SECRET_ARN,
    });

    expect(await store.secretOf('kr-aggregator')).toBe('k');
    expect(await store.secretOf('kr-aggregator')).toBe('k');
    expect(await store.secretOf('toString')).toBeUndefined();
    expect(await store.secretOf('other')).toBeUndefined();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('reads again after a failed read rather than remembering the failure', async () => {
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'k' });
    const store = new SecretsManagerGatewaySecrets(new SecretsManagerClient({ region: 'ap-northeast-2' }), {
      g: SECRET_ARN,
    });
    await expect(store.secretOf('g')).rejects.toThrow('throttled');
    expect(await store.secretOf('g')).toBe('k');
  });

  it('takes the ARNs from GATEWAY_SECRET_ARNS, an empty map when unset', () => {
    expect(parseGatewaySecretArns(undefined)).toEqual({});
    expect(parseGatewaySecretArns(`{"kr-aggregator":"${SECRET_ARN}"}`)).toEqual({
      'kr-aggregator': SECRET_ARN,
    });
    expect(() => parseGatewaySecretArns('{"kr-aggregator":1}')).toThrow();
  });
});

describe('the webhook Lambda entrypoint with the AWS composition root', () => {
  const context = lambdaContext('SmsGatewayWebhook');

  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'ap-northeast-2');
    vi.stubEnv('TABLE_NAME', 'utilitydesk-table');
    vi.stubEnv('SIGNING_SECRET_ARN', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing');
    vi.stubEnv('GATEWAY_SECRET_ARNS', JSON.stringify({ 'kr-aggregator': SECRET_ARN }));
    vi.stubEnv('INBOUND_QUEUE_URL', QUEUE_URL);
    vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(loadUtilityConfig('seoul-water')));
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    // The general answer first: a later, more specific one takes precedence for its SecretId.
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: 'gateway-key' });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-1' });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const invoke = async (signature: string, body: string) => {
    const { handler } = await import('#handlers/http/sms-gateway-webhook');
    const event = httpEvent({
      method: 'POST',
      path: '/sms/inbound/kr-aggregator',
      routePath: '/sms/inbound/{gateway}',
      pathParameters: { gateway: 'kr-aggregator' },
      rawBody: body,
      headers: { 'x-signature': signature },
    });
    return (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  };

  const body = JSON.stringify({
    data: {
      msg_id: '42',
      sender: '01012345678',
      receiver: '16610120',
      text: 'HELP',
      // The composition root's clock is the real one: a fixed date here would one day be refused as stale.
      sent_at: new Date().toISOString(),
    },
  });
  const scheme = { algorithm: 'hmac-sha256', encoding: 'hex', prefix: 'sha256=' } as const;

  it('answers 200 queued after one SendMessage to INBOUND_QUEUE_URL, signed with the secret from Secrets Manager', async () => {
    const response = await invoke(signGatewayBody(body, 'gateway-key', scheme), body);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ status: 'queued', messageId: 'kr-aggregator:42' });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: QUEUE_URL,
      MessageBody: expect.stringContaining('"inboundMessageId":"kr-aggregator:42"'),
    });
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
  });

  it('sends nothing to SQS for a body signed with another key', async () => {
    const response = await invoke(signGatewayBody(body, 'wrong-key', scheme), body);
    expect(response.statusCode).toBe(401);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });
});
