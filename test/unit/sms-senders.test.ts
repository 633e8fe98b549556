// The SMS senders: SNS, Pinpoint, and a domestic aggregator's HTTP send API (its request built purely, then sent for real).
import 'aws-sdk-client-mock-vitest/extend';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { PinpointClient, SendMessagesCommand } from '@aws-sdk/client-pinpoint';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinpointSms } from '#adapters/aws/pinpoint-sms';
import { SnsOptOuts, SnsSms } from '#adapters/aws/sns-sms';
import { GatewaySms } from '#adapters/http/gateway-sms';
import type { GatewaySecrets } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import type { GatewaySendConfig, InboundGatewayConfig } from '#config/schema';
import { buildGatewaySendRequest, readGatewayMessageId } from '#domain/gateway-send';
import { isValidGatewaySignature } from '#domain/gateway-signature';

const sns = mockClient(SNSClient);
const pinpoint = mockClient(PinpointClient);
const KR = '+821012345678';
const RU = '+79123456789';
const APP_ID = 'a'.repeat(32);

beforeEach(() => {
  sns.reset();
  pinpoint.reset();
});

/** The first inbound gateway of a real utility config, which has a send profile. */
function gatewayOf(
  utility: 'seoul-water' | 'tyumen-power',
): InboundGatewayConfig & { send: GatewaySendConfig } {
  const gateway = loadUtilityConfig(utility).channels.sms.inboundGateways[0];
  if (!gateway?.send) throw new Error(`${utility} has no gateway with a send profile`);
  return { ...gateway, send: gateway.send };
}

describe('SNS SMS sender', () => {
  const snsSms = (options: ConstructorParameters<typeof SnsSms>[1]) =>
    new SnsSms(new SNSClient({ region: 'ap-northeast-2' }), options);

  it('publishes to the phone number with the SMS type, sender ID and origination number', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });

    const result = await snsSms({
      smsType: 'Transactional',
      senderId: 'TESK',
      originationNumber: '+79037672060',
    }).send({ to: RU, body: 'code 123456', purpose: 'otp' });

    expect(result).toEqual({ messageId: 'sns-1' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      PhoneNumber: RU,
      Message: 'code 123456',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'TESK' },
        'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+79037672060' },
      },
    });
  });

  it('leaves out the sender ID and origination number when none is configured', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-2' });

    await snsSms({ smsType: 'Promotional' }).send({ to: KR, body: 'notice', purpose: 'notice' });

    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      PhoneNumber: KR,
      Message: 'notice',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' } },
    });
  });

  it('fails loudly when SNS returns no message id', async () => {
    sns.on(PublishCommand).resolves({});
    await expect(
      snsSms({ smsType: 'Transactional' }).send({ to: KR, body: 'x', purpose: 'otp' }),
    ).rejects.toThrow(/no message id/);
  });
});

describe('SNS opt-out list', () => {
  const optOuts = () => new SnsOptOuts(new SNSClient({ region: 'ap-northeast-2' }));

  it('asks SNS about exactly this number and reports an opted-out phone', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: true });
    expect(await optOuts().isOptedOut(RU)).toBe(true);
    expect(sns).toHaveReceivedCommandWith(CheckIfPhoneNumberIsOptedOutCommand, { phoneNumber: RU });
  });

  it('reports a phone as not opted out when SNS says false or nothing', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolvesOnce({ isOptedOut: false }).resolvesOnce({});
    expect(await optOuts().isOptedOut(RU)).toBe(false);
    expect(await optOuts().isOptedOut(RU)).toBe(false);
  });
});

describe('Pinpoint SMS sender', () => {
  const pinpointSms = (options: Partial<ConstructorParameters<typeof PinpointSms>[1]> = {}) =>
    new PinpointSms(new PinpointClient({ region: 'ap-northeast-2' }), { applicationId: APP_ID, ...options });

  it('sends one transactional SMS to the address with the origination number, sender ID and purpose', async () => {
    pinpoint.on(SendMessagesCommand).resolves({
      MessageResponse: {
        ApplicationId: APP_ID,
        Result: { [KR]: { DeliveryStatus: 'SUCCESSFUL', StatusCode: 200, MessageId: 'pp-1' } },
      },
    });

    const result = await pinpointSms({ originationNumber: '+82216610120', senderId: 'SEOULWTR' }).send({
      to: KR,
      body: 'code 123456',
      purpose: 'otp',
    });

    expect(result).toEqual({ messageId: 'pp-1' });
    expect(pinpoint.commandCalls(SendMessagesCommand)[0]?.args[0].input).toEqual({
      ApplicationId: APP_ID,
      MessageRequest: {
        Addresses: { [KR]: { ChannelType: 'SMS' } },
        MessageConfiguration: {
          SMSMessage: {
            Body: 'code 123456',
            MessageType: 'TRANSACTIONAL',
            OriginationNumber: '+82216610120',
            SenderId: 'SEOULWTR',
          },
        },
        Context: { purpose: 'otp' },
      },
    });
  });

  it('leaves out the origination number and sender ID when none is configured', async () => {
    pinpoint.on(SendMessagesCommand).resolves({
      MessageResponse: {
        ApplicationId: APP_ID,
        Result: { [KR]: { DeliveryStatus: 'SUCCESSFUL', StatusCode: 200, MessageId: 'pp-2' } },
      },
    });
    await pinpointSms().send({ to: KR, body: 'hi', purpose: 'reply' });
    expect(pinpoint).toHaveReceivedCommandWith(SendMessagesCommand, {
      MessageRequest: expect.objectContaining({
        MessageConfiguration: { SMSMessage: { Body: 'hi', MessageType: 'TRANSACTIONAL' } },
      }),
    });
  });

  it.each([
    ['OPT_OUT', 409, 'The phone number is opted out'],
    ['PERMANENT_FAILURE', 400, 'Invalid destination'],
  ] as const)('refuses a %s result, naming the status, code and message', async (status, code, text) => {
    pinpoint.on(SendMessagesCommand).resolves({
      MessageResponse: {
        ApplicationId: APP_ID,
        Result: { [KR]: { DeliveryStatus: status, StatusCode: code, StatusMessage: text } },
      },
    });
    const sending = pinpointSms().send({ to: KR, body: 'x', purpose: 'notice' });
    await expect(sending).rejects.toThrow(status);
    await expect(sending).rejects.toThrow(String(code));
    await expect(sending).rejects.toThrow(text);
  });

  it('refuses an answer with no result for the recipient', async () => {
    pinpoint.on(SendMessagesCommand).resolves({ MessageResponse: { ApplicationId: APP_ID, Result: {} } });
    await expect(pinpointSms().send({ to: KR, body: 'x', purpose: 'otp' })).rejects.toThrow(
      /DeliveryStatus missing/,
    );
  });
});

describe('the gateway send request (pure)', () => {
  it('builds the Seoul aggregator JSON: nested fields, national recipient, reference and constants', () => {
    const { send } = gatewayOf('seoul-water');

    const request = buildGatewaySendRequest(send, { to: KR, body: '인증번호 123456' }, 'ref-1');

    expect(request.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request.body)).toEqual({
      data: {
        receiver: '01012345678',
        sender: '0216610120',
        text: '인증번호 123456',
        ref_id: 'ref-1',
        msg_type: 'AUTO',
      },
    });
  });

  it('builds the Tyumen aggregator form: flat names, E.164 digits, reference', () => {
    const { send } = gatewayOf('tyumen-power');

    const request = buildGatewaySendRequest(send, { to: RU, body: 'Код 123456 & ещё' }, 'ref-2');

    expect(request.contentType).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      phone: '79123456789',
      sender: 'TESK',
      message: 'Код 123456 & ещё',
      client_id: 'ref-2',
    });
  });

  it.each([
    ['e164', KR, '+821012345678'],
    ['e164', RU, '+79123456789'],
    ['e164-digits', KR, '821012345678'],
    ['e164-digits', RU, '79123456789'],
    ['national', KR, '01012345678'],
    ['national', RU, '89123456789'],
  ] as const)('writes the recipient in %s form: %s -> %s', (toFormat, to, expected) => {
    const send: GatewaySendConfig = { ...gatewayOf('tyumen-power').send, toFormat };
    const form = new URLSearchParams(buildGatewaySendRequest(send, { to, body: 'x' }, 'r').body);
    expect(form.get('phone')).toBe(expected);
  });

  it('sends no reference when the profile names no field for it', () => {
    const base = gatewayOf('seoul-water').send;
    const send: GatewaySendConfig = {
      ...base,
      fields: { to: 'to', from: 'from', body: 'text' },
      constants: {},
    };
    expect(JSON.parse(buildGatewaySendRequest(send, { to: KR, body: 'x' }, 'r').body)).toEqual({
      to: '01012345678',
      from: '0216610120',
      text: 'x',
    });
  });

  it('refuses a profile that puts two fields in one place', () => {
    const base = gatewayOf('seoul-water').send;
    const clash: GatewaySendConfig = { ...base, constants: { 'data.text': 'fixed' } };
    const nested: GatewaySendConfig = { ...base, constants: { 'data.text.kind': 'fixed' } };
    expect(() => buildGatewaySendRequest(clash, { to: KR, body: 'x' }, 'r')).toThrow(/two fields/);
    expect(() => buildGatewaySendRequest(nested, { to: KR, body: 'x' }, 'r')).toThrow(/two fields/);
  });
});

describe("reading the gateway's message id (pure)", () => {
  const seoul = gatewayOf('seoul-water').send;
  const tyumen = gatewayOf('tyumen-power').send;

  it('takes a string or number at the configured path', () => {
    expect(readGatewayMessageId(seoul, '{"result":{"msg_id":"kr-9"}}', 'ref')).toBe('kr-9');
    expect(readGatewayMessageId(tyumen, '{"id":12345,"status":"OK"}', 'ref')).toBe('12345');
  });

  it('uses our reference when the profile names no id field', () => {
    const send: GatewaySendConfig = { ...seoul, responseMessageId: undefined };
    expect(readGatewayMessageId(send, 'OK', 'ref-7')).toBe('ref-7');
  });

  it.each([
    ['a missing field', '{"result":{}}'],
    ['a null', '{"result":{"msg_id":null}}'],
    ['an object', '{"result":{"msg_id":{"v":1}}}'],
    ['an empty string', '{"result":{"msg_id":""}}'],
    ['text that is not JSON', 'OK'],
  ])('refuses an answer with %s, naming the field', (_case, answer) => {
    expect(() => readGatewayMessageId(seoul, answer, 'ref')).toThrow(
      /lacks the message id field "result\.msg_id"/,
    );
  });
});

describe('the gateway SMS sender against a real HTTP server', () => {
  const SECRET = 'gateway-shared-secret';
  const secrets: GatewaySecrets = {
    secretOf: async (id) => (id.endsWith('-aggregator') ? SECRET : undefined),
  };

  interface Received {
    method: string | undefined;
    url: string | undefined;
    headers: IncomingHttpHeaders;
    raw: Buffer;
  }
  /** Whether the request carries the gateway's signature over its exact bytes, in the gateway's header. */
  const signedFor = (gateway: InboundGatewayConfig, request: Received): boolean => {
    const value = request.headers[gateway.signature.header];
    return isValidGatewaySignature(
      request.raw,
      SECRET,
      gateway.signature,
      typeof value === 'string' ? value : undefined,
    );
  };
  let server: Server;
  let baseUrl: string;
  let received: Received[];
  let respond: (request: Received, response: ServerResponse) => void;

  beforeEach(async () => {
    received = [];
    respond = (_request, response) => response.end();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          raw: Buffer.concat(chunks),
        };
        received.push(request);
        respond(request, res);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the test server has no port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  /** A real gateway whose send profile points at the test server. */
  const gatewayAt = (
    utility: 'seoul-water' | 'tyumen-power',
    path: string,
    overrides: Partial<GatewaySendConfig> = {},
  ): InboundGatewayConfig => {
    const gateway = gatewayOf(utility);
    return { ...gateway, send: { ...gateway.send, url: `${baseUrl}${path}`, ...overrides } };
  };

  it('POSTs the signed JSON request and returns the message id the aggregator answers with', async () => {
    const gateway = gatewayAt('seoul-water', '/v1/messages');
    respond = (request, response) => {
      const signed = signedFor(gateway, request);
      const json = request.headers['content-type'] === 'application/json; charset=utf-8';
      response.writeHead(signed && json ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ result: { msg_id: 'kr-777' } }));
    };
    const sender = new GatewaySms(gateway, secrets, { newReference: () => 'ref-1' });

    const result = await sender.send({ to: KR, body: '인증번호 123456', purpose: 'otp' });

    expect(result).toEqual({ messageId: 'kr-777' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/messages');
    expect(request?.headers['idempotency-key']).toBe('ref-1');
    expect(JSON.parse(request?.raw.toString('utf8') ?? '')).toEqual({
      data: {
        receiver: '01012345678',
        sender: '0216610120',
        text: '인증번호 123456',
        ref_id: 'ref-1',
        msg_type: 'AUTO',
      },
    });
  });

  it('POSTs the signed form request with a fresh reference for each message', async () => {
    const gateway = gatewayAt('tyumen-power', '/api/send');
    let next = 100;
    respond = (request, response) => {
      const signed = signedFor(gateway, request);
      const form = request.headers['content-type'] === 'application/x-www-form-urlencoded; charset=utf-8';
      response.writeHead(signed && form ? 200 : 401, { 'content-type': 'application/json' });
      next += 1;
      response.end(JSON.stringify({ id: next, status: 'OK' }));
    };
    const sender = new GatewaySms(gateway, secrets);

    const first = await sender.send({ to: RU, body: 'Код 123456', purpose: 'otp' });
    const second = await sender.send({ to: RU, body: 'Показания приняты', purpose: 'reply' });

    expect([first, second]).toEqual([{ messageId: '101' }, { messageId: '102' }]);
    const forms = received.map((r) => Object.fromEntries(new URLSearchParams(r.raw.toString('utf8'))));
    expect(forms[0]).toEqual(
      expect.objectContaining({ phone: '79123456789', sender: 'TESK', message: 'Код 123456' }),
    );
    expect(forms[0]?.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(forms[0]?.client_id).toBe(received[0]?.headers['idempotency-key']);
    expect(forms[1]?.client_id).not.toBe(forms[0]?.client_id);
  });

  it('rejects an error answer with its status and wording, masking the code and numbers it echoes', async () => {
    respond = (request, response) => {
      // Like aggregators that echo the request in their error.
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`invalid sender for ${request.raw.toString('utf8')} ${'x'.repeat(500)}`);
    };
    const sender = new GatewaySms(gatewayAt('tyumen-power', '/api/send'), secrets);

    const error = await sender.send({ to: RU, body: 'Код 654321', purpose: 'otp' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toMatch(/^SMS gateway ru-aggregator answered 500: invalid sender for /);
    expect(message.length).toBeLessThan(260);
    expect(message).not.toContain('654321');
    expect(message).not.toContain(RU.slice(1));
    expect(message).not.toContain(SECRET);
  });

  // A notice retried after a lost answer must be the same request to an aggregator that drops repeated keys.
  it("sends a message's own idempotency key as its reference and in the profile's header, on every attempt", async () => {
    const gateway = gatewayAt('seoul-water', '/v1/messages');
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ result: { msg_id: 'kr-1' } }));
    };
    const sender = new GatewaySms(gateway, secrets, { newReference: () => 'fresh-reference' });
    const notice = { to: KR, body: '12월 수도요금', purpose: 'notice' as const, idempotencyKey: 'notice-7' };

    await sender.send(notice);
    await sender.send(notice);

    expect(received.map((r) => r.headers['idempotency-key'])).toEqual(['notice-7', 'notice-7']);
    expect(received.map((r) => JSON.parse(r.raw.toString('utf8')).data.ref_id)).toEqual([
      'notice-7',
      'notice-7',
    ]);
  });

  it('sends the key in the header the profile names, and no such header when it names none', async () => {
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ result: { msg_id: 'kr-2' } }));
    };
    const notice = { to: KR, body: 'x', purpose: 'notice' as const, idempotencyKey: 'notice-8' };
    await new GatewaySms(
      gatewayAt('seoul-water', '/v1/messages', { idempotencyHeader: 'X-Request-Key' }),
      secrets,
    ).send(notice);
    await new GatewaySms(
      gatewayAt('seoul-water', '/v1/messages', { idempotencyHeader: undefined }),
      secrets,
    ).send(notice);
    expect(received[0]?.headers['x-request-key']).toBe('notice-8');
    expect(received[0]?.headers['idempotency-key']).toBeUndefined();
    expect(Object.keys(received[1]?.headers ?? {})).not.toContain('idempotency-key');
    expect(Object.keys(received[1]?.headers ?? {})).not.toContain('x-request-key');
  });

  it('gives up on an aggregator that never answers after the configured timeout', async () => {
    respond = () => {};
    const sender = new GatewaySms(gatewayAt('seoul-water', '/v1/messages', { timeoutMs: 500 }), secrets);

    await expect(sender.send({ to: KR, body: 'x', purpose: 'otp' })).rejects.toThrow(
      'SMS gateway kr-aggregator did not answer within 500 ms',
    );
    expect(received).toHaveLength(1);
  });

  it('names the gateway when it cannot be reached at all', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const address = closed.address();
    closed.close();
    await once(closed, 'close');
    if (typeof address !== 'object' || address === null) throw new Error('the closed server had no port');
    const gateway = gatewayOf('seoul-water');
    const sender = new GatewaySms(
      { ...gateway, send: { ...gateway.send, url: `http://127.0.0.1:${address.port}/v1/messages` } },
      secrets,
    );

    await expect(sender.send({ to: KR, body: 'x', purpose: 'otp' })).rejects.toThrow(
      /^SMS gateway kr-aggregator could not be reached: .*ECONNREFUSED/,
    );
  });

  it('refuses to send without the gateway secret, a deployment fault', async () => {
    const sender = new GatewaySms(gatewayAt('seoul-water', '/v1/messages'), {
      secretOf: async () => undefined,
    });
    await expect(sender.send({ to: KR, body: 'x', purpose: 'otp' })).rejects.toThrow(
      'No secret is configured for SMS gateway kr-aggregator',
    );
    expect(received).toHaveLength(0);
  });

  it('refuses a gateway with no send profile', () => {
    const { send: _send, ...inboundOnly } = gatewayOf('seoul-water');
    expect(() => new GatewaySms(inboundOnly, secrets)).toThrow(/kr-aggregator has no "send" profile/);
  });
});
