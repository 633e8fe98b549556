// X-Ray in Lambda: every invocation, and every AWS call it makes, reaches the X-Ray daemon as a subsegment.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deriveSigningKeys } from '#app/signing-keys';
import { loadUtilityConfig } from '#config/load';
import { issueToken } from '#domain/token';
import { httpEvent, lambdaContext } from '#test/support/http';
import { inboundEvent, inboundRecord } from '#test/support/sqs';

const SECRET = 's'.repeat(48);

/** What the daemon received: each UDP datagram is a header line, then one segment or subsegment as JSON. */
interface Subsegment {
  name: string;
  trace_id?: string;
  parent_id?: string;
  namespace?: string;
  annotations?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  aws?: { operation?: string };
  fault?: boolean;
}

let daemon: Socket;
let received: Subsegment[] = [];
let aws: Server;

/** A stand-in for the AWS endpoints the functions call, answering by the JSON protocol's target header. */
function answer(target: string): unknown {
  if (target === 'secretsmanager.GetSecretValue') return { SecretString: SECRET };
  if (target.endsWith('.Query')) return { Items: [], Count: 0 };
  return {};
}

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    const [, body] = message.toString('utf8').split('\n');
    if (body) received.push(JSON.parse(body) as Subsegment);
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  aws = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer(String(request.headers['x-amz-target']))));
    });
  });
  await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  daemon.close();
  await new Promise((resolve) => aws.close(resolve));
});

/** Waits (bounded) until the daemon holds a subsegment that matches. */
async function receivedWhere(match: (s: Subsegment) => boolean): Promise<Subsegment[]> {
  for (let i = 0; i < 100 && !received.some(match); i++) await new Promise((r) => setTimeout(r, 20));
  return received.filter(match);
}

/** The environment Lambda gives a function with active tracing, and what the deployment sets. */
function asInLambda(functionName: string, traceRoot: string) {
  vi.resetModules();
  received = [];
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', functionName);
  vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('LAMBDA_TASK_ROOT', '/var/task');
  vi.stubEnv('_HANDLER', 'index.handler');
  vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${traceRoot};Parent=53995c3f42cd8ad8;Sampled=1`);
  vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', `127.0.0.1:${(daemon.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_ENDPOINT_URL', `http://127.0.0.1:${(aws.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_REGION', 'ap-northeast-2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('TABLE_NAME', 'utilitydesk-seoul-water');
  vi.stubEnv('SIGNING_SECRET_ARN', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing');
  vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(loadUtilityConfig('seoul-water')));
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
}

describe('tracing in Lambda', () => {
  it('sends the HTTP handler and each of its AWS calls to X-Ray, in the invocation trace', async () => {
    // An operator opens the trace of a slow bill lookup: it should show where the time went.
    const trace = '1-67891233-abcdef012345678912345678';
    asInLambda('ListBills', trace);
    const { handler } = await import('#handlers/http/list-bills');
    const now = Math.floor(Date.now() / 1000);
    const token = issueToken(
      { sub: '123456789', aud: 'seoul-water', scope: 'account', iat: now, exp: now + 600 },
      deriveSigningKeys(SECRET).token,
    );

    const result = (await handler(
      httpEvent({
        method: 'GET',
        path: '/accounts/123456789/bills',
        routePath: '/accounts/{accountNumber}/bills',
        pathParameters: { accountNumber: '123456789' },
        headers: { authorization: `Bearer ${token}` },
      }),
      lambdaContext('ListBills'),
    )) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(200);
    const [invocation] = await receivedWhere((s) => s.name === '## index.handler');
    expect(invocation).toMatchObject({
      trace_id: trace,
      annotations: { ColdStart: true, Service: 'utilitydesk' },
    });
    // The response (bills, phones) stays out of the trace.
    expect(JSON.stringify(invocation?.metadata ?? {})).not.toContain('items');
    const calls = await receivedWhere((s) => s.namespace === 'aws');
    expect(calls.map((s) => [s.name, s.aws?.operation])).toEqual(
      expect.arrayContaining([
        ['SecretsManager', 'GetSecretValue'],
        ['DynamoDB', 'Query'],
      ]),
    );
    for (const call of calls) expect(call.trace_id).toBe(trace);
  });

  it('sends the queue consumer invocation and its AWS calls to X-Ray, in the invocation trace', async () => {
    const trace = '1-67891234-abcdef012345678912345679';
    asInLambda('SmsInbound', trace);
    const { handler } = await import('#handlers/sqs/sms-inbound');
    const sms = { messageId: 'm-1', from: '+821012345678', to: '1661-0120', body: 'HELP' };
    const record = { ...inboundRecord(sms, new Date()), body: 'not an SNS envelope' };

    const result = (await handler(inboundEvent(record), lambdaContext('SmsInbound'))) as SQSBatchResponse;

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    const [invocation] = await receivedWhere((s) => s.name === '## index.handler');
    expect(invocation).toMatchObject({ trace_id: trace, annotations: { ColdStart: true } });
    const [secretRead] = await receivedWhere((s) => s.aws?.operation === 'GetSecretValue');
    expect(secretRead?.trace_id).toBe(trace);
  });

  it('covers every AWS SDK client the composition root builds, including those no test above calls', () => {
    // The calls above reach Secrets Manager and DynamoDB; a client added later must be traced as well.
    const source = readFileSync(new URL('../../functions/handlers/lambda-deps.ts', import.meta.url), 'utf8');
    const built = [...source.matchAll(/(\w+\()?\s*(new \w+Client\(|createDocumentClient\()/g)];

    expect(built.length).toBeGreaterThanOrEqual(8);
    expect(built.filter((match) => match[1] !== 'traced(').map((match) => match[0])).toEqual([]);
  });
});
