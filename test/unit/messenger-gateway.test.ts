// The HTTP messenger adapter against a stand-in AlimTalk provider on 127.0.0.1, shaped like NHN Cloud's v2.3 API.
import 'aws-sdk-client-mock-vitest/extend';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessengerGateway } from '#adapters/http/messenger-gateway';
import {
  type MessengerMessage,
  MessengerProviderError,
  MessengerThrottledError,
  MessengerUnreachableError,
} from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import type { AlimTalkHttpConfig } from '#config/schema';

const API_KEY = 'nhn-secret-key-0123';

/** Seoul's profile (NHN Cloud's v2.3 shape), sent to the stand-in. */
function seoulProfile(url: string, overrides: Partial<AlimTalkHttpConfig> = {}): AlimTalkHttpConfig {
  const messenger = loadUtilityConfig('seoul-water').channels.messenger;
  if (messenger.provider !== 'alimtalk-http') throw new Error('Seoul has no HTTP messenger profile');
  return { ...messenger, url, ...overrides };
}

const notice: MessengerMessage = {
  to: '+821012345678',
  templateKey: 'bill-giro',
  parameters: { name: '김*준', amount: '41,230', due: '2026-12-31' },
  text: '김*준 님, 12월 수도요금 41,230원 (납기 2026-12-31)',
  idempotencyKey: 'notice-120100000-2026-12-bill-821012345678',
};

/** NHN Cloud's answer for one recipient. */
const nhnAnswer = (recipientCode: number, requestId = '20261212100000abcDEF') => ({
  header: { resultCode: 0, resultMessage: 'SUCCESS', isSuccessful: true },
  message: {
    requestId,
    senderGroupingKey: null,
    sendResults: [
      { recipientSeq: 1, recipientNo: '01012345678', resultCode: recipientCode, resultMessage: 'x' },
    ],
  },
});

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let baseUrl: string;
let received: Received[];
let respond: (request: Received, response: ServerResponse) => void;

const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}) => {
  respond = (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
};

beforeEach(async () => {
  received = [];
  answerJson(200, nhnAnswer(0));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      respond(request, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the stand-in has no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

const PATH = '/alimtalk/v2.3/appkeys/seoul-water-demo/messages';
const gatewayWith = (overrides: Partial<AlimTalkHttpConfig> = {}) =>
  new MessengerGateway(seoulProfile(`${baseUrl}${PATH}`, overrides), async () => API_KEY);

/** The rejection of a send, for inspection. */
const failureOf = async (send: Promise<unknown>): Promise<Error> => {
  const outcome = await send.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`the send succeeded: ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof Error)) throw new Error('not an Error');
  return outcome.error;
};

describe('the messenger adapter against a stand-in AlimTalk provider', () => {
  it('POSTs one template message as NHN Cloud takes it, with the API key and the notice id as idempotency key', async () => {
    const result = await gatewayWith().send(notice);

    expect(result).toEqual({ messageId: '20261212100000abcDEF' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(PATH);
    expect(request?.headers['x-secret-key']).toBe(API_KEY);
    expect(request?.headers['x-nc-api-idempotency-key']).toBe(notice.idempotencyKey);
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      senderKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
      templateCode: 'SWBILLGIRO01',
      recipientList: [
        {
          recipientNo: '01012345678',
          templateParameter: { name: '김*준', amount: '41,230', due: '2026-12-31' },
          recipientGroupingKey: notice.idempotencyKey,
          resendParameter: { isResend: false },
        },
      ],
    });
  });

  it('sends the same idempotency key on every attempt of one notice', async () => {
    const gateway = gatewayWith();
    await gateway.send(notice);
    await gateway.send(notice);
    expect(received.map((r) => r.headers['x-nc-api-idempotency-key'])).toEqual([
      notice.idempotencyKey,
      notice.idempotencyKey,
    ]);
  });

  it.each([
    ['not a KakaoTalk user', 3019],
    ['blocked the channel', 3020],
    ['cannot receive (not installed, inactive)', 3018],
  ])(
    'answers "unreachable" for a recipient who is %s, so the notice falls back to SMS',
    async (_case, code) => {
      answerJson(200, nhnAnswer(code));
      const error = await failureOf(gatewayWith().send(notice));
      expect(error).toBeInstanceOf(MessengerUnreachableError);
      expect((error as MessengerUnreachableError).code).toBe(String(code));
      expect(received).toHaveLength(1);
    },
  );

  // Where the provider sends the SMS itself, a second SMS from us would reach the resident twice.
  it('reports the provider’s own SMS fallback as a send, never as "unreachable", when the profile says it does one', async () => {
    answerJson(200, nhnAnswer(3019, 'req-fallback-1'));
    await expect(gatewayWith({ providerFallback: true }).send(notice)).resolves.toEqual({
      messageId: 'req-fallback-1',
      providerFallback: true,
    });
  });

  it('names a throttled answer (HTTP 429), with the wait the provider asked for', async () => {
    answerJson(
      429,
      { header: { isSuccessful: false, resultMessage: 'Too many requests' } },
      { 'retry-after': '7' },
    );
    const error = await failureOf(gatewayWith().send(notice));
    expect(error).toBeInstanceOf(MessengerThrottledError);
    expect(error).toMatchObject({ code: 'http-429', retryAfterSeconds: 7 });
  });

  it('names a throttling result code the profile lists, whatever the HTTP status', async () => {
    answerJson(200, nhnAnswer(-9999));
    const error = await failureOf(gatewayWith({ throttledCodes: ['-9999'] }).send(notice));
    expect(error).toBeInstanceOf(MessengerThrottledError);
    expect(error).toMatchObject({ code: '-9999' });
  });

  it('takes a 5xx for a transient fault, with the status and a masked excerpt of the answer', async () => {
    respond = (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('internal error for recipient 01012345678');
    };
    const error = await failureOf(gatewayWith().send(notice));
    expect(error).toBeInstanceOf(MessengerProviderError);
    expect(error).toMatchObject({ code: 'http-500', retryable: true });
    expect(error.message).toMatch(/answered 500/);
    expect(error.message).not.toContain('01012345678');
    expect(error.message).not.toContain(API_KEY);
  });

  it('gives up on a provider that never answers after the profile’s timeout, without retrying itself', async () => {
    respond = () => {};
    const error = await failureOf(gatewayWith({ timeoutMs: 500 }).send(notice));
    expect(error).toBeInstanceOf(MessengerProviderError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toBe('The messenger provider did not answer within 500 ms');
    expect(received).toHaveLength(1);
  });

  it('gives up on a provider that sends its headers and then hangs mid-answer', async () => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"header":');
    };
    const error = await failureOf(gatewayWith({ timeoutMs: 500 }).send(notice));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it.each([
    ['text that is not JSON', 'OK', /not JSON/],
    [
      'JSON of another shape',
      { ok: true },
      /no result code at message\.sendResults\.0\.resultCode or header\.resultCode/,
    ],
    [
      'a success without a message id',
      { header: { resultCode: 0 }, message: { sendResults: [{ resultCode: 0 }] } },
      /no message id at message\.requestId/,
    ],
    ['a code in an array where an object was expected', [nhnAnswer(0)], /no result code/],
  ])('never takes %s for a send', async (_case, body, reason) => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const error = await failureOf(gatewayWith().send(notice));
    expect(error).toBeInstanceOf(MessengerProviderError);
    expect(error).toMatchObject({ code: 'bad-answer', retryable: true });
    expect(error.message).toMatch(reason);
  });

  it('tells a refusal that will not change by itself from one worth retrying (Kakao 3022, outside sending hours)', async () => {
    answerJson(200, nhnAnswer(3016));
    expect(await failureOf(gatewayWith().send(notice))).toMatchObject({ code: '3016', retryable: false });
    answerJson(200, nhnAnswer(3022));
    expect(await failureOf(gatewayWith().send(notice))).toMatchObject({ code: '3022', retryable: true });
  });

  it('reads a refusal of the whole request from the header when there is no result per recipient', async () => {
    answerJson(200, { header: { resultCode: -1006, resultMessage: 'Invalid appkey', isSuccessful: false } });
    const error = await failureOf(gatewayWith().send(notice));
    expect(error).toMatchObject({ code: '-1006', retryable: false });
  });

  it('takes a 4xx without a result code for a refusal that will not change by itself (a wrong key)', async () => {
    respond = (_request, response) => {
      response.writeHead(401);
      response.end();
    };
    expect(await failureOf(gatewayWith().send(notice))).toMatchObject({ code: 'http-401', retryable: false });
  });

  // The answer to the first attempt was lost; the provider refuses the repeated key because it took the first.
  it('counts a refused repeat of an idempotency key as sent, when the profile names that code', async () => {
    answerJson(200, { header: { resultCode: -4001, isSuccessful: false } });
    await expect(gatewayWith({ duplicateCodes: ['-4001'] }).send(notice)).resolves.toEqual({
      messageId: notice.idempotencyKey,
    });
  });

  it('refuses a template key the profile does not map, before calling the provider', async () => {
    const error = await failureOf(gatewayWith().send({ ...notice, templateKey: 'overdue-reminder' }));
    expect(error).toMatchObject({ code: 'unknown-template', retryable: false });
    expect(error.message).toMatch(/"overdue-reminder".*channels\.messenger\.templates/);
    expect(received).toHaveLength(0);
  });

  it('sends no idempotency header when the profile names none', async () => {
    await gatewayWith({ idempotencyHeader: undefined }).send(notice);
    expect(received[0]?.headers['x-nc-api-idempotency-key']).toBeUndefined();
  });

  it('names a provider that cannot be reached at all', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const gateway = new MessengerGateway(
      seoulProfile(`http://127.0.0.1:${port}${PATH}`),
      async () => API_KEY,
    );

    const error = await failureOf(gateway.send(notice));

    expect(error).toMatchObject({ code: 'unreachable-host', retryable: true });
    expect(error.message).toMatch(/could not be reached: fetch failed \(.*ECONNREFUSED/);
  });
});

describe('the Lambda composition root’s messenger', () => {
  const secrets = mockClient(SecretsManagerClient);
  const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:alimtalk';

  beforeEach(() => {
    secrets.reset();
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'ap-northeast-2');
    vi.stubEnv('TABLE_NAME', 'utilitydesk-table');
    vi.stubEnv('SIGNING_SECRET_ARN', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    secrets
      .on(GetSecretValueCommand, {
        SecretId: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing',
      })
      .resolves({ SecretString: 'x'.repeat(48) });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const seoulAt = (url: string) => {
    const config = loadUtilityConfig('seoul-water');
    return { ...config, channels: { ...config.channels, messenger: seoulProfile(url) } };
  };

  it('sends through the HTTP profile with the API key read once from the secret the stack names', async () => {
    vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(seoulAt(`${baseUrl}${PATH}`)));
    vi.stubEnv('MESSENGER_SECRET_ARN', SECRET_ARN);
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: API_KEY });
    const { lambdaDeps } = await import('#handlers/lambda-deps');
    const deps = await lambdaDeps();

    await deps.messenger.send(notice);
    await deps.messenger.send({ ...notice, idempotencyKey: 'another-notice' });

    expect(received.map((r) => r.headers['x-secret-key'])).toEqual([API_KEY, API_KEY]);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    expect(secrets.commandCalls(GetSecretValueCommand, { SecretId: SECRET_ARN })).toHaveLength(1);
  });

  it('sends nothing from a function the stack did not give the messenger secret', async () => {
    vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(seoulAt(`${baseUrl}${PATH}`)));
    const { lambdaDeps } = await import('#handlers/lambda-deps');
    const deps = await lambdaDeps();
    await expect(deps.messenger.send(notice)).rejects.toThrow('MESSENGER_SECRET_ARN is not set');
    expect(received).toHaveLength(0);
  });

  it('answers "unreachable" where the utility has no messenger, so a subscription that chose it gets SMS', async () => {
    vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(loadUtilityConfig('tyumen-power')));
    const { lambdaDeps } = await import('#handlers/lambda-deps');
    // The class as the freshly loaded modules know it.
    const ports = await import('#app/ports');
    const deps = await lambdaDeps();
    const error = await failureOf(deps.messenger.send({ ...notice, to: '+79123456789' }));
    expect(error).toBeInstanceOf(ports.MessengerUnreachableError);
    expect(error).toMatchObject({ code: 'no-messenger' });
  });
});
