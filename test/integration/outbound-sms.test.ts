// A code (and a reply) sent through the AWS composition roots to the utility's domestic SMS gateway: API Gateway
// event -> AuthOtp (or an inbound SMS -> SmsInbound) -> use case -> DynamoDB Local and the outbound queue (SQS,
// mocked), then the queue's record -> the SmsOutbound consumer -> a signed POST to a stand-in of the aggregator
// on 127.0.0.1.
import 'aws-sdk-client-mock-vitest/extend';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { loadUtilityConfig } from '#config/load';
import { isValidGatewaySignature } from '#domain/gateway-signature';
import { anAccount } from '#test/support/builders';
import { createTestTable, type TestTable } from '#test/support/dynamo';
import { httpEvent, lambdaContext } from '#test/support/http';
import { inboundEvent, inboundRecord } from '#test/support/sqs';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:kr-aggregator';
const GATEWAY_KEY = 'the-aggregator-shared-key';
const config = loadUtilityConfig('seoul-water');
const gateway = config.channels.sms.inboundGateways[0];
if (!gateway?.send) throw new Error('seoul-water has no gateway send profile');

const OUTBOUND_QUEUE_URL = 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/outbound';
const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
let queued: string[] = [];

interface Received {
  contentType: string | undefined;
  signed: boolean;
  body: unknown;
}
let received: Received[] = [];
let answer: { status: number; body: string } = { status: 200, body: '' };
let server: Server;
let url = '';
let table: TestTable;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const signed = isValidGatewaySignature(
      raw,
      GATEWAY_KEY,
      gateway.signature,
      request.headers[gateway.signature.header] as string,
    );
    received.push({
      contentType: request.headers['content-type'],
      signed,
      body: JSON.parse(raw.toString('utf8')),
    });
    response.writeHead(signed ? answer.status : 401, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`;
  table = await createTestTable();
  await new DynamoAccountStore(table.client, table.tableName).putMany([
    anAccount({ accountNumber: '123456789', district: '11140', phones: ['+821012345678'] }),
  ]);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  answer = { status: 200, body: JSON.stringify({ result: { msg_id: 'agg-77' } }) };
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 's'.repeat(48) });
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: GATEWAY_KEY });
  queued = [];
  sqs.reset();
  sqs.on(SendMessageCommand).callsFake((input: { MessageBody: string }) => {
    queued.push(input.MessageBody);
    return { MessageId: `sqs-${queued.length}` };
  });
  vi.resetModules();
  const local = {
    ...config,
    channels: {
      ...config.channels,
      sms: { ...config.channels.sms, inboundGateways: [{ ...gateway, send: { ...gateway.send, url } }] },
    },
  };
  vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(local));
  vi.stubEnv('AWS_REGION', 'ap-northeast-2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
  vi.stubEnv('TABLE_NAME', table.tableName);
  vi.stubEnv('SIGNING_SECRET_ARN', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing');
  vi.stubEnv('GATEWAY_SECRET_ARNS', JSON.stringify({ [gateway.id]: SECRET_ARN }));
  vi.stubEnv('OUTBOUND_QUEUE_URL', OUTBOUND_QUEUE_URL);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

async function requestCode(phone: string): Promise<APIGatewayProxyStructuredResultV2> {
  const { handler } = await import('#handlers/http/auth-otp');
  const event = httpEvent({
    method: 'POST',
    path: '/auth/otp',
    routePath: '/auth/otp',
    body: { accountNumber: '123456789', phone },
  });
  return (await handler(event, lambdaContext('AuthOtp'))) as APIGatewayProxyStructuredResultV2;
}

/** An inbound SMS delivered to the SmsInbound consumer, as Lambda's SQS event source would. */
async function textUtility(from: string, body: string): Promise<SQSBatchResponse> {
  const { handler } = await import('#handlers/sqs/sms-inbound');
  const event = inboundEvent(
    inboundRecord({ messageId: `in-${from}-${body}`, from, to: '1661-0120', body }, new Date()),
  );
  return (await handler(event, lambdaContext('SmsInbound'))) as SQSBatchResponse;
}

/** Delivers what the route queued to the SmsOutbound consumer, as Lambda's SQS event source would. */
async function deliverQueued(receiveCount = 1): Promise<SQSBatchResponse> {
  const { handler } = await import('#handlers/sqs/sms-outbound');
  const event: SQSEvent = {
    Records: queued.map((body, i) => ({
      messageId: `sqs-${i + 1}`,
      receiptHandle: `r-${i + 1}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'lambda',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:outbound',
      awsRegion: 'ap-northeast-2',
    })),
  };
  return (await handler(event, lambdaContext('SmsOutbound'))) as SQSBatchResponse;
}

describe('SMS out through the domestic gateway (seoul-water as configured)', () => {
  it('queues the code, then the consumer posts it as signed JSON in the profile’s fields, to the national number, once', async () => {
    const response = await requestCode('010-1234-5678');
    expect(response.statusCode, response.body).toBe(202);
    // The route called no aggregator: it put the outbox item's id, and nothing else, on the queue.
    expect(received).toEqual([]);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: OUTBOUND_QUEUE_URL });
    expect(JSON.parse(queued[0] ?? '{}')).toEqual({
      v: 2,
      kind: 'sms',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(queued[0]).not.toContain('1012345678');

    expect((await deliverQueued()).batchItemFailures).toEqual([]);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.signed).toBe(true);
    expect(request?.contentType).toBe('application/json; charset=utf-8');
    expect(request?.body).toEqual({
      data: {
        receiver: '01012345678',
        sender: '0216610120',
        text: expect.stringMatching(/\b\d{6}\b/),
        ref_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        msg_type: 'AUTO',
      },
    });
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    // A redelivered record sends nothing again.
    expect((await deliverQueued(2)).batchItemFailures).toEqual([]);
    expect(received).toHaveLength(1);
  });

  it('queues a decoy for an unregistered phone alike, which the consumer drops unsent', async () => {
    const response = await requestCode('010-9999-8888');
    expect(response.statusCode).toBe(202);
    expect(queued).toHaveLength(1);
    expect((await deliverQueued()).batchItemFailures).toEqual([]);
    expect(received).toEqual([]);
  });

  it('answers 202 though the aggregator refuses, and the consumer hands the record back for another try', async () => {
    answer = { status: 503, body: '{"error":"maintenance"}' };
    const response = await requestCode('+821012345678');
    expect(response.statusCode).toBe(202);
    expect((await deliverQueued()).batchItemFailures).toEqual([{ itemIdentifier: 'sqs-1' }]);
    expect(received).toHaveLength(1);
    answer = { status: 200, body: JSON.stringify({ result: { msg_id: 'agg-78' } }) };
    expect((await deliverQueued(2)).batchItemFailures).toEqual([]);
    expect(received).toHaveLength(2);
  });

  // The aggregator answered 503 while a resident texted HELP: the reply used to be sent inside SmsInbound, after the
  // message was recorded as done, so the failure lost it for good.
  it('queues the reply to an inbound HELP; the consumer sends it once the aggregator is back, once', async () => {
    answer = { status: 503, body: '{"error":"maintenance"}' };

    expect((await textUtility('010-1234-5678', 'HELP')).batchItemFailures).toEqual([]);

    // SmsInbound called no aggregator: it queued one SMS job.
    expect(received).toEqual([]);
    expect(queued.map((body) => JSON.parse(body).kind)).toEqual(['sms']);
    expect((await deliverQueued()).batchItemFailures).toEqual([{ itemIdentifier: 'sqs-1' }]);
    answer = { status: 200, body: JSON.stringify({ result: { msg_id: 'agg-79' } }) };
    expect((await deliverQueued(2)).batchItemFailures).toEqual([]);
    expect((await deliverQueued(3)).batchItemFailures).toEqual([]);
    // The attempt the aggregator refused, and the one it took: nothing more.
    expect(received.map((r) => (r.body as { data: { receiver: string } }).data.receiver)).toEqual([
      '01012345678',
      '01012345678',
    ]);
  });
});
