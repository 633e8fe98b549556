// A code sent through the AWS composition root to the utility's domestic SMS gateway: API Gateway event ->
// handler -> use case -> DynamoDB Local, then a signed POST to a stand-in of the aggregator on 127.0.0.1.
import 'aws-sdk-client-mock-vitest/extend';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { loadUtilityConfig } from '#config/load';
import { isValidGatewaySignature } from '#domain/gateway-signature';
import { anAccount } from '#test/support/builders';
import { createTestTable, type TestTable } from '#test/support/dynamo';
import { httpEvent, lambdaContext } from '#test/support/http';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:kr-aggregator';
const GATEWAY_KEY = 'the-aggregator-shared-key';
const config = loadUtilityConfig('seoul-water');
const gateway = config.channels.sms.inboundGateways[0];
if (!gateway?.send) throw new Error('seoul-water has no gateway send profile');

const secrets = mockClient(SecretsManagerClient);
const context = lambdaContext('AuthOtp');

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
  return (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
}

describe('SMS out through the domestic gateway (seoul-water as configured)', () => {
  it('posts the code as signed JSON in the profile’s fields, to the national number, once', async () => {
    const response = await requestCode('010-1234-5678');
    expect(response.statusCode, response.body).toBe(202);
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
  });

  it('answers a problem, not a code, when the gateway refuses the message', async () => {
    answer = { status: 503, body: '{"error":"maintenance"}' };
    const response = await requestCode('+821012345678');
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(received).toHaveLength(1);
  });
});
