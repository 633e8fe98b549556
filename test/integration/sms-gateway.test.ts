// The domestic SMS gateway webhook: signed JSON and form deliveries reach the sms-inbound consumer, and are acted on once.
import { describe, expect, it, vi } from 'vitest';
import { StaticGatewaySecrets } from '#adapters/local/local-inbound-queue';
import type { InboundQueue } from '#app/ports';
import type { InboundGatewayConfig } from '#config/schema';
import { signGatewayBody } from '#domain/gateway-signature';
import { route } from '#handlers/http/sms-gateway-webhook';
import { TEST_GATEWAY_SECRET, type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

const SEOUL_PHONE = '+821012345678';
const TYUMEN_PHONE = '+79123456789';

/** `sentAt` is Seoul's local time, as the Korean gateway writes it (the worlds start at 14:00 there). */
function seoulPayload(msgId: string, text: string, sentAt = '2026-12-16 14:00:00') {
  return JSON.stringify({
    event: 'mo',
    data: {
      msg_id: msgId,
      sender: '010-1234-5678',
      receiver: '16610120',
      text,
      sent_at: sentAt,
    },
  });
}

function tyumenPayload(id: string, message: string) {
  return new URLSearchParams({
    id,
    phone: TYUMEN_PHONE,
    short_number: '2060',
    message,
    date: '1797397200',
  }).toString();
}

const seoulSignature = (body: string, secret = TEST_GATEWAY_SECRET) =>
  signGatewayBody(body, secret, { algorithm: 'hmac-sha256', encoding: 'hex', prefix: 'sha256=' });
const tyumenSignature = (body: string | Buffer, secret = TEST_GATEWAY_SECRET) =>
  signGatewayBody(body, secret, { algorithm: 'hmac-sha256', encoding: 'base64' });

/** POST to a gateway's webhook through the real route, as `deps` (a world's, or one with a recording queue) run it. */
function post(
  world: TestWorld | Pick<TestWorld, 'deps'>,
  gateway: string,
  rawBody: string,
  headers: Record<string, string>,
) {
  return call(route, world.deps, {
    method: 'POST',
    path: `/sms/inbound/${gateway}`,
    routePath: '/sms/inbound/{gateway}',
    pathParameters: { gateway },
    rawBody,
    headers,
  });
}

const replies = (world: TestWorld, phone: string) =>
  world.sms.list(phone).filter((m) => m.purpose === 'reply');

/** The world's deps with a queue that only records, to show what was (not) enqueued. */
function recordingQueue(world: TestWorld) {
  const enqueue = vi.fn<InboundQueue['enqueue']>(async () => {});
  return { enqueue, deps: { ...world.deps, inboundQueue: { enqueue } } };
}

/** A signed Seoul STOP sent at `sentAt` (local time) on 2026-12-16: refused with 422 and the problem, queued nowhere. */
async function expectRefusedSeoulStop(sentAt: string, problem: Record<string, unknown>) {
  const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
  const { enqueue, deps } = recordingQueue(world);
  const body = seoulPayload(`stop-${sentAt}`, '중지', sentAt);

  const response = await post({ deps }, 'kr-aggregator', body, {
    'content-type': 'application/json',
    'x-signature': seoulSignature(body),
  });

  expect(response.status).toBe(422);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.json).toMatchObject(problem);
  expect(enqueue).not.toHaveBeenCalled();
}

describe('a correctly signed delivery', () => {
  it('from the Seoul (JSON) gateway is queued, processed by the consumer and answered', async () => {
    // Prepare
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const body = seoulPayload('123', '중지');

    // Act
    const response = await post(world, 'kr-aggregator', body, {
      'content-type': 'application/json',
      'X-Signature': seoulSignature(body),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'queued', messageId: 'kr-aggregator:123' });
    expect(await world.deps.optOuts.isOptedOut(SEOUL_PHONE)).toBe(true);
    expect(replies(world, SEOUL_PHONE)).toHaveLength(1);
    expect(replies(world, SEOUL_PHONE)[0]?.body).toMatch(/중지되었습니다/);
  });

  it('from the Tyumen (form) gateway is queued with its fields mapped and sentAt kept', async () => {
    // Prepare
    const world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);
    const body = tyumenPayload('987', 'СТОП');

    // Act
    const response = await post({ deps }, 'ru-aggregator', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-sms-signature': tyumenSignature(body),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(enqueue).toHaveBeenCalledWith({
      messageId: 'ru-aggregator:987',
      from: TYUMEN_PHONE,
      to: '2060',
      body: 'СТОП',
      sentAt: new Date(1797397200 * 1000).toISOString(),
    });
  });

  it('from the Tyumen (form) gateway, base64-encoded by API Gateway, is processed and answered in Russian', async () => {
    const world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const body = tyumenPayload('988', 'СТОП');
    const response = await call(route, world.deps, {
      method: 'POST',
      path: '/sms/inbound/ru-aggregator',
      routePath: '/sms/inbound/{gateway}',
      pathParameters: { gateway: 'ru-aggregator' },
      rawBody: Buffer.from(body).toString('base64'),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-sms-signature': tyumenSignature(body),
      },
      isBase64Encoded: true,
    });
    expect(response.status).toBe(200);
    expect(await world.deps.optOuts.isOptedOut(TYUMEN_PHONE)).toBe(true);
    expect(replies(world, TYUMEN_PHONE).map((m) => m.body)).toEqual([
      expect.stringMatching(/уведомления отключены/),
    ]);
  });

  it('retried by the gateway (same message id twice) is acted on and answered once', async () => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const body = seoulPayload('555', 'HELP');
    const headers = { 'content-type': 'application/json', 'x-signature': seoulSignature(body) };

    const first = await post(world, 'kr-aggregator', body, headers);
    const retry = await post(world, 'kr-aggregator', body, headers);

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.json).toEqual(first.json);
    expect(replies(world, SEOUL_PHONE)).toHaveLength(1);
  });
});

describe('the gateway’s clock', () => {
  it('cannot opt a phone out for good: a STOP dated hours ahead, then a START sent a minute later, leaves it opted in', async () => {
    // A gateway whose clock is in the wrong time zone dates a STOP nine hours ahead. Were that date kept, the
    // opt-out store, which keeps the latest instruction, would ignore the resident's START for nine hours.
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const stop = seoulPayload('stop-ahead', '중지', '2026-12-16 23:00:00');
    const stopped = await post(world, 'kr-aggregator', stop, { 'x-signature': seoulSignature(stop) });
    expect(stopped.status).toBe(200);
    expect(await world.deps.optOuts.isOptedOut(SEOUL_PHONE)).toBe(true);

    world.clock.advance(60_000);
    const start = seoulPayload('start-now', 'START', '2026-12-16 14:01:00');
    const started = await post(world, 'kr-aggregator', start, { 'x-signature': seoulSignature(start) });

    expect(started.status).toBe(200);
    expect(await world.deps.optOuts.isOptedOut(SEOUL_PHONE)).toBe(false);
  });

  it('refuses a signed STOP dated 2100 with 422 gateway-clock-ahead, and enqueues nothing', async () => {
    // Taken as its receipt time, a body dated 2100 would never grow stale: anyone who captured it could post it
    // again once the inbound ledger had forgotten its id (14 days) and opt the resident out again.
    await expectRefusedSeoulStop('2100-01-01 00:00:00', {
      type: problemType('gateway-clock-ahead'),
      sentAt: '2099-12-31T15:00:00.000Z',
      maxAheadMinutes: 1440,
    });
  });

  it('refuses a signed delivery without its send time with 400 naming the field, and acts on nothing', async () => {
    // A captured STOP with its send time taken out (or a gateway that stopped sending it): ordered by its receipt,
    // it would never be stale, and once the ledger has forgotten its id it could be posted and acted on again.
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const body = JSON.stringify({
      data: { msg_id: 'no-time', sender: '010-1234-5678', receiver: '16610120', text: '중지' },
    });

    const response = await post(world, 'kr-aggregator', body, { 'x-signature': seoulSignature(body) });

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      type: problemType('invalid-gateway-payload'),
      errors: [{ field: 'body.data.sent_at', message: 'missing' }],
    });
    expect(await world.deps.optOuts.isOptedOut(SEOUL_PHONE)).toBe(false);
    expect(world.sms.list()).toEqual([]);
  });

  it('refuses a signed delivery whose send time is no time with 400 naming the field', async () => {
    const world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);
    const body = new URLSearchParams({
      id: 'bad-date',
      phone: TYUMEN_PHONE,
      short_number: '2060',
      message: 'СТОП',
      date: 'вчера',
    }).toString();

    const response = await post({ deps }, 'ru-aggregator', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-sms-signature': tyumenSignature(body),
    });

    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      { field: 'body.date', message: expect.stringMatching(/^not a time: ISO 8601/) },
    ]);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('refuses a signed message dated far in the past with 422 stale-gateway-message, and enqueues nothing', async () => {
    // A delivery captured years ago and posted again: the inbound ledger has long forgotten its message id.
    await expectRefusedSeoulStop('2020-03-01 09:00:00', {
      type: problemType('stale-gateway-message'),
      sentAt: '2020-03-01T00:00:00.000Z',
      replayWindowMinutes: 1440,
    });
  });
});

describe('gateway message ids', () => {
  const rawPayload = (msgId: string) =>
    `{"data":{"msg_id":${msgId},"sender":"010-1234-5678","receiver":"16610120","text":"HELP","sent_at":"2026-12-16 14:00:00"}}`;
  const postTo = (deps: TestWorld['deps'], body: string) =>
    call(route, deps, {
      method: 'POST',
      path: '/sms/inbound/kr-aggregator',
      routePath: '/sms/inbound/{gateway}',
      pathParameters: { gateway: 'kr-aggregator' },
      rawBody: body,
      headers: { 'content-type': 'application/json', 'x-signature': seoulSignature(body) },
    });

  it('past 2^53 are refused as JSON numbers, naming the field, and kept apart as strings', async () => {
    // The gateway's ids have grown past 2^53: JSON.parse reads 9007199254740993 as 9007199254740992, so the
    // second message would be taken for a retry of the first and dropped without an answer.
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);

    for (const id of ['9007199254740992', '9007199254740993']) {
      const response = await postTo(deps, rawPayload(id));
      expect(response.status).toBe(400);
      expect(response.json.type).toBe(problemType('invalid-gateway-payload'));
      expect(response.json.errors).toEqual([
        {
          field: 'body.data.msg_id',
          message: 'a number beyond 2^53 or with a fraction: send it as a string',
        },
      ]);
    }
    expect(enqueue).not.toHaveBeenCalled();

    const first = await postTo(deps, rawPayload('"9007199254740992"'));
    const second = await postTo(deps, rawPayload('"9007199254740993"'));
    expect([first.json.messageId, second.json.messageId]).toEqual([
      'kr-aggregator:9007199254740992',
      'kr-aggregator:9007199254740993',
    ]);
    expect(enqueue.mock.calls.map(([sms]) => sms.messageId)).toEqual([
      'kr-aggregator:9007199254740992',
      'kr-aggregator:9007199254740993',
    ]);
  });

  it('that are safe integers are read as their decimal digits', async () => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const response = await postTo(world.deps, rawPayload('9007199254740991'));
    expect(response.status).toBe(200);
    expect(response.json.messageId).toBe('kr-aggregator:9007199254740991');
  });
});

/** Posts body bytes as API Gateway hands a non-UTF-8 body to Lambda: base64-encoded. */
function postBytes(deps: TestWorld['deps'], gateway: string, bytes: Buffer, headers: Record<string, string>) {
  return call(route, deps, {
    method: 'POST',
    path: `/sms/inbound/${gateway}`,
    routePath: '/sms/inbound/{gateway}',
    pathParameters: { gateway },
    rawBody: bytes.toString('base64'),
    isBase64Encoded: true,
    headers,
  });
}

/** A Tyumen form body whose message is given as bytes (percent-escaped or raw), the rest ASCII. */
const tyumenFormBytes = (id: string, message: Buffer) =>
  Buffer.concat([
    Buffer.from(`id=${id}&phone=%2B79123456789&short_number=2060&message=`),
    message,
    Buffer.from('&date=1797397200'),
  ]);

// СТОП in windows-1251: С D1, Т D2, О CE, П CF. 중지 in EUC-KR: 중 C1DF, 지 C1F6.
const STOP_1251 = Buffer.from([0xd1, 0xd2, 0xce, 0xcf]);
const STOP_EUC_KR = Buffer.from([0xc1, 0xdf, 0xc1, 0xf6]);
const percentEscaped = (bytes: Buffer) =>
  Buffer.from([...bytes].map((b) => `%${b.toString(16).toUpperCase()}`).join(''));

describe('a form body in the charset its Content-Type declares', () => {
  it.each([
    ['percent-escaped', percentEscaped(STOP_1251)],
    ['as raw 8-bit bytes', STOP_1251],
  ])('windows-1251, %s, queues СТОП and opts the phone out', async (_, message) => {
    // The Russian aggregator posts its forms in windows-1251; read as UTF-8, СТОП arrived as four U+FFFD.
    const world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);
    const bytes = tyumenFormBytes('w1251', message);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded; charset=windows-1251',
      'x-sms-signature': tyumenSignature(bytes),
    };

    const queued = await postBytes(deps, 'ru-aggregator', bytes, headers);
    const processed = await postBytes(world.deps, 'ru-aggregator', bytes, headers);

    expect([queued.status, processed.status]).toEqual([200, 200]);
    expect(enqueue).toHaveBeenCalledWith(expect.objectContaining({ body: 'СТОП' }));
    expect(await world.deps.optOuts.isOptedOut(TYUMEN_PHONE)).toBe(true);
    expect(replies(world, TYUMEN_PHONE).map((m) => m.body)).toEqual([
      expect.stringMatching(/уведомления отключены/),
    ]);
  });

  it('EUC-KR, from a Korean aggregator that posts forms, queues 중지 and opts the phone out', async () => {
    // Seoul's own aggregator posts JSON; this one posts forms in EUC-KR (Windows-949), as older Korean systems do.
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const formGateway: InboundGatewayConfig = {
      id: 'kr-form',
      format: 'form',
      signature: { header: 'x-signature', algorithm: 'hmac-sha256', encoding: 'hex' },
      fields: { messageId: 'seq', from: 'callback', to: 'dest', body: 'msg' },
      timestamps: { skewMinutes: 5, replayWindowMinutes: 1440 },
    };
    const { config } = world.deps;
    const deps = {
      ...world.deps,
      config: {
        ...config,
        channels: { ...config.channels, sms: { ...config.channels.sms, inboundGateways: [formGateway] } },
      },
      gatewaySecrets: new StaticGatewaySecrets({ 'kr-form': TEST_GATEWAY_SECRET }),
    };
    const bytes = Buffer.concat([
      Buffer.from('seq=77&callback=01012345678&dest=16610120&msg='),
      percentEscaped(STOP_EUC_KR),
    ]);
    const signature = signGatewayBody(bytes, TEST_GATEWAY_SECRET, {
      algorithm: 'hmac-sha256',
      encoding: 'hex',
    });

    const response = await postBytes(deps, 'kr-form', bytes, {
      'content-type': 'application/x-www-form-urlencoded; charset=EUC-KR',
      'x-signature': signature,
    });

    expect(response.status).toBe(200);
    expect(response.json.messageId).toBe('kr-form:77');
    expect(await world.deps.optOuts.isOptedOut(SEOUL_PHONE)).toBe(true);
    expect(replies(world, SEOUL_PHONE)[0]?.body).toMatch(/중지되었습니다/);
  });

  it('in a charset this service cannot read gets 415 unsupported-charset naming it, and nothing is enqueued', async () => {
    const world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);
    const bytes = tyumenFormBytes('x1', percentEscaped(STOP_1251));

    const response = await postBytes(deps, 'ru-aggregator', bytes, {
      'content-type': 'application/x-www-form-urlencoded; charset=x-cyrillic-dos',
      'x-sms-signature': tyumenSignature(bytes),
    });

    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({
      type: problemType('unsupported-charset'),
      charset: 'x-cyrillic-dos',
    });
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('is checked against its signature over the raw bytes first: a wrong one gets 401 whatever the charset', async () => {
    const world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
    const bytes = tyumenFormBytes('x2', STOP_1251);
    const response = await postBytes(world.deps, 'ru-aggregator', bytes, {
      'content-type': 'application/x-www-form-urlencoded; charset=x-cyrillic-dos',
      // The signature of the same text in UTF-8: not these bytes.
      'x-sms-signature': tyumenSignature(Buffer.from(tyumenFormBytes('x2', Buffer.from('СТОП')))),
    });
    expect(response.status).toBe(401);
    expect(response.json.type).toBe(problemType('invalid-signature'));
  });
});

describe('a delivery that is refused', () => {
  it.each([
    ['a wrong signature', { 'x-signature': seoulSignature(seoulPayload('1', '중지'), 'another-secret') }],
    ['a signature of another body', { 'x-signature': seoulSignature(seoulPayload('2', '중지')) }],
    ['a signature without its prefix', { 'x-signature': seoulSignature(seoulPayload('1', '중지')).slice(7) }],
    ['no signature', {}],
  ])('with %s gets 401 invalid-signature, and nothing is enqueued or answered', async (_, headers) => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);
    const body = seoulPayload('1', '중지');

    const response = await post({ deps }, 'kr-aggregator', body, {
      'content-type': 'application/json',
      ...headers,
    });

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json.type).toBe(problemType('invalid-signature'));
    expect(enqueue).not.toHaveBeenCalled();
    expect(world.sms.list()).toEqual([]);
    expect(await world.deps.optOuts.isOptedOut(SEOUL_PHONE)).toBe(false);
  });

  it('to an unknown gateway gets 404 gateway-not-found', async () => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const body = seoulPayload('1', '중지');
    const response = await post(world, 'ru-aggregator', body, { 'x-signature': seoulSignature(body) });
    expect(response.status).toBe(404);
    expect(response.json.type).toBe(problemType('gateway-not-found'));
  });

  it('signed but lacking mapped fields gets 400 naming them, and nothing is enqueued', async () => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const { enqueue, deps } = recordingQueue(world);
    const body = JSON.stringify({ data: { msg_id: '7', text: '중지' } });

    const response = await post({ deps }, 'kr-aggregator', body, {
      'content-type': 'application/json',
      'x-signature': seoulSignature(body),
    });

    expect(response.status).toBe(400);
    expect(response.json.type).toBe(problemType('invalid-gateway-payload'));
    expect(response.json.errors).toEqual([
      { field: 'body.data.sender', message: 'missing' },
      { field: 'body.data.receiver', message: 'missing' },
      { field: 'body.data.sent_at', message: 'missing' },
    ]);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('signed but not JSON gets 400', async () => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const body = 'msg_id=1&text=STOP';
    const response = await post(world, 'kr-aggregator', body, { 'x-signature': seoulSignature(body) });
    expect(response.status).toBe(400);
    expect(response.json.type).toBe(problemType('invalid-gateway-payload'));
  });

  it('over 64 KiB gets 413 before anything else', async () => {
    const world = await testWorld('seoul-water', new Date('2026-12-16T05:00:00Z'));
    const body = seoulPayload('1', 'x'.repeat(70_000));
    const response = await post(world, 'kr-aggregator', body, { 'x-signature': seoulSignature(body) });
    expect(response.status).toBe(413);
  });
});
