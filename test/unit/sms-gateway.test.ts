// The gateway webhook's rules: the HMAC check in each encoding, and the field mapping for JSON and forms.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InboundGatewayConfig } from '#config/schema';
import { gatewayQueueBody, readInboundSms } from '#contracts/inbound-sms';
import { readGatewayPayload, readSentAt, valueAtPath } from '#domain/gateway-payload';
import { isValidGatewaySignature, type SignatureScheme, signGatewayBody } from '#domain/gateway-signature';

const SECRET = 'shared-secret';
const BODY = '{"data":{"msg_id":"1","text":"STOP"}}';
const digest = createHmac('sha256', SECRET).update(BODY).digest();

describe('the gateway signature', () => {
  const hex: SignatureScheme = { algorithm: 'hmac-sha256', encoding: 'hex' };
  const base64: SignatureScheme = { algorithm: 'hmac-sha256', encoding: 'base64' };
  const prefixed: SignatureScheme = { algorithm: 'hmac-sha256', encoding: 'hex', prefix: 'sha256=' };

  it('is the HMAC-SHA256 of the raw body in the configured encoding, after the prefix', () => {
    expect(signGatewayBody(BODY, SECRET, hex)).toBe(digest.toString('hex'));
    expect(signGatewayBody(BODY, SECRET, base64)).toBe(digest.toString('base64'));
    expect(signGatewayBody(BODY, SECRET, prefixed)).toBe(`sha256=${digest.toString('hex')}`);
  });

  it.each([
    ['hex', hex, digest.toString('hex')],
    ['hex in capitals', hex, digest.toString('hex').toUpperCase()],
    ['base64', base64, digest.toString('base64')],
    ['base64 without padding', base64, digest.toString('base64').replace(/=$/, '')],
    ['prefixed hex', prefixed, `sha256=${digest.toString('hex')}`],
    ['prefixed hex with surrounding spaces', prefixed, ` sha256=${digest.toString('hex')} `],
  ])('accepts %s', (_, scheme, header) => {
    expect(isValidGatewaySignature(Buffer.from(BODY), SECRET, scheme, header)).toBe(true);
  });

  it.each([
    ['no header', hex, undefined],
    ['an empty header', hex, ''],
    ['another secret', hex, createHmac('sha256', 'other').update(BODY).digest('hex')],
    ['another body', hex, createHmac('sha256', SECRET).update(`${BODY} `).digest('hex')],
    ['hex where base64 is expected', base64, digest.toString('hex')],
    ['base64 where hex is expected', hex, digest.toString('base64')],
    ['a missing prefix', prefixed, digest.toString('hex')],
    ['a prefix where none is configured', hex, `sha256=${digest.toString('hex')}`],
    ['a truncated digest', hex, digest.toString('hex').slice(0, 62)],
    ['a digest with trailing junk', hex, `${digest.toString('hex')}00`],
  ])('refuses %s', (_, scheme, header) => {
    expect(isValidGatewaySignature(Buffer.from(BODY), SECRET, scheme, header)).toBe(false);
  });

  it('refuses everything when the secret is empty', () => {
    const header = createHmac('sha256', '').update(BODY).digest('hex');
    expect(isValidGatewaySignature(BODY, '', hex, header)).toBe(false);
  });
});

const jsonGateway: InboundGatewayConfig = {
  id: 'kr-aggregator',
  format: 'json',
  signature: { header: 'x-signature', algorithm: 'hmac-sha256', encoding: 'hex' },
  fields: {
    messageId: 'data.msg_id',
    from: 'data.sender',
    to: 'data.receiver',
    body: 'data.text',
    sentAt: 'data.sent_at',
  },
  timestamps: { skewMinutes: 5, replayWindowMinutes: 1440 },
};
const formGateway: InboundGatewayConfig = {
  id: 'ru-aggregator',
  format: 'form',
  signature: { header: 'x-sms-signature', algorithm: 'hmac-sha256', encoding: 'base64' },
  fields: { messageId: 'id', from: 'phone', to: 'short_number', body: 'message' },
  timestamps: { skewMinutes: 5, replayWindowMinutes: 1440 },
};
const NOW = new Date('2026-12-16T05:00:00Z');
/** A body as the webhook receives it: UTF-8 bytes with no charset declared. */
const utf8 = (raw: string) => ({ bytes: Buffer.from(raw), contentType: undefined });

describe('the field mapping', () => {
  it('follows dotted paths into JSON, prefixes the id with the gateway and reads numbers as text', () => {
    const raw = JSON.stringify({
      data: {
        msg_id: 123,
        sender: '01012345678',
        receiver: '16610120',
        text: ' 중지 ',
        sent_at: '2026-12-16T13:59:00+09:00',
      },
    });
    expect(readGatewayPayload(jsonGateway, utf8(raw), NOW, 'Asia/Seoul')).toEqual({
      messageId: 'kr-aggregator:123',
      from: '01012345678',
      to: '16610120',
      body: '중지',
      sentAt: '2026-12-16T04:59:00.000Z',
    });
  });

  it('reads a form body, decoding percent-escapes; without a sentAt field the time is now', () => {
    const raw = 'id=a-1&phone=%2B79123456789&short_number=2060&message=1234567833+1234';
    expect(readGatewayPayload(formGateway, utf8(raw), NOW, 'Asia/Yekaterinburg')).toEqual({
      messageId: 'ru-aggregator:a-1',
      from: '+79123456789',
      to: '2060',
      body: '1234567833 1234',
      sentAt: NOW.toISOString(),
    });
  });

  // Were a body without its send time ordered by its receipt, it would never be stale: captured once, it could be
  // posted again after the inbound ledger has forgotten its id, and be acted on again.
  it.each([
    ['missing', { msg_id: '1', sender: '010', receiver: '1661', text: 'HELP' }, 'missing'],
    ['empty', { msg_id: '1', sender: '010', receiver: '1661', text: 'HELP', sent_at: ' ' }, 'missing'],
    [
      'unreadable',
      { msg_id: '1', sender: '010', receiver: '1661', text: 'HELP', sent_at: 'yesterday' },
      expect.stringMatching(/^not a time: ISO 8601/),
    ],
  ])(
    'refuses with 400 a send time the profile maps but the payload leaves %s, naming the field',
    (_, data, message) => {
      expect(() =>
        readGatewayPayload(jsonGateway, utf8(JSON.stringify({ data })), NOW, 'Asia/Seoul'),
      ).toThrow(
        expect.objectContaining({
          kind: 'invalid',
          type: 'invalid-gateway-payload',
          extensions: { errors: [{ field: 'body.data.sent_at', message }] },
        }),
      );
    },
  );

  it('queues the receipt time, not a send time ahead of it; refuses one too far ahead, or older than the replay window', () => {
    const dated = (sentAt: string) =>
      JSON.stringify({
        data: { msg_id: '1', sender: '010', receiver: '1661', text: 'STOP', sent_at: sentAt },
      });
    // 14:00 UTC written as Seoul time: nine hours ahead, a gateway clock in the wrong time zone.
    expect(
      readGatewayPayload(jsonGateway, utf8(dated('2026-12-16 23:00:00')), NOW, 'Asia/Seoul').sentAt,
    ).toBe(NOW.toISOString());
    expect(() =>
      readGatewayPayload(jsonGateway, utf8(dated('2100-01-01 00:00:00')), NOW, 'Asia/Seoul'),
    ).toThrow(expect.objectContaining({ kind: 'unprocessable', type: 'gateway-clock-ahead' }));
    expect(() =>
      readGatewayPayload(jsonGateway, utf8(dated('2020-03-01 09:00:00')), NOW, 'Asia/Seoul'),
    ).toThrow(expect.objectContaining({ kind: 'unprocessable', type: 'stale-gateway-message' }));
  });

  it('reads a form in its declared charset, and refuses bytes that are not text in it with 400', () => {
    const raw = 'id=1&phone=%2B79123456789&short_number=2060&message=%D1%D2%CE%CF';
    const as = (contentType: string | undefined) => ({ bytes: Buffer.from(raw), contentType });
    const form = 'application/x-www-form-urlencoded';
    expect(readGatewayPayload(formGateway, as(`${form}; charset=cp1251`), NOW, 'UTC').body).toBe('СТОП');
    expect(() => readGatewayPayload(formGateway, as(form), NOW, 'UTC')).toThrow(
      expect.objectContaining({
        type: 'invalid-gateway-payload',
        message: expect.stringMatching(/not valid UTF-8/),
      }),
    );
    const eucKrJson = Buffer.concat([
      Buffer.from('{"data":{"text":"'),
      Buffer.from([0xc1, 0xdf]),
      Buffer.from('"}}'),
    ]);
    expect(() =>
      readGatewayPayload(jsonGateway, { bytes: eucKrJson, contentType: 'application/json' }, NOW, 'UTC'),
    ).toThrow(
      expect.objectContaining({ type: 'invalid-gateway-payload', message: expect.stringMatching(/UTF-8/) }),
    );
  });

  it('accepts an empty text, but not a missing one', () => {
    const raw = 'id=1&phone=%2B79123456789&short_number=2060&message=';
    expect(readGatewayPayload(formGateway, utf8(raw), NOW, 'Asia/Yekaterinburg').body).toBe('');
    expect(() => readGatewayPayload(formGateway, utf8('id=1&phone=1&short_number=2'), NOW, 'UTC')).toThrow(
      expect.objectContaining({
        type: 'invalid-gateway-payload',
        extensions: { errors: [{ field: 'body.message', message: 'missing' }] },
      }),
    );
  });

  it('names every missing, non-text or oversized field by the gateway field name', () => {
    const raw = JSON.stringify({
      data: { msg_id: { nested: true }, sender: '', receiver: 'x'.repeat(33), text: 'hi', sent_at: true },
    });
    expect(() => readGatewayPayload(jsonGateway, utf8(raw), NOW, 'UTC')).toThrow(
      expect.objectContaining({
        extensions: {
          errors: [
            { field: 'body.data.msg_id', message: 'missing' },
            { field: 'body.data.sender', message: 'missing' },
            { field: 'body.data.receiver', message: 'longer than 32 characters' },
            { field: 'body.data.sent_at', message: expect.stringMatching(/^not a time/) },
          ],
        },
      }),
    );
  });

  it.each([
    ['an id past 2^53', '9007199254740993'],
    ['an id of exactly 2^53', '9007199254740992'],
    ['an id with a fraction', '12.5'],
    ['an id in exponent form past 2^53', '1e17'],
  ])('refuses %s written as a JSON number, naming the field', (_, id) => {
    const raw = `{"data":{"msg_id":${id},"sender":"010","receiver":"1661","text":"HELP","sent_at":"2026-12-16T05:00:00Z"}}`;
    expect(() => readGatewayPayload(jsonGateway, utf8(raw), NOW, 'UTC')).toThrow(
      expect.objectContaining({
        type: 'invalid-gateway-payload',
        extensions: {
          errors: [
            {
              field: 'body.data.msg_id',
              message: 'a number beyond 2^53 or with a fraction: send it as a string',
            },
          ],
        },
      }),
    );
  });

  it('reads the same id written as a string exactly, however long', () => {
    const raw =
      '{"data":{"msg_id":"9007199254740993","sender":"010","receiver":"1661","text":"HELP","sent_at":"2026-12-16T05:00:00Z"}}';
    expect(readGatewayPayload(jsonGateway, utf8(raw), NOW, 'UTC').messageId).toBe(
      'kr-aggregator:9007199254740993',
    );
  });

  it.each(['not json', '[1,2]', 'null', '"text"'])('refuses a JSON gateway body %s', (raw) => {
    expect(() => readGatewayPayload(jsonGateway, utf8(raw), NOW, 'UTC')).toThrow(
      expect.objectContaining({ kind: 'invalid', type: 'invalid-gateway-payload' }),
    );
  });

  it('finds nothing through arrays, primitives or inherited properties', () => {
    expect(valueAtPath({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(valueAtPath({ a: [{ b: 1 }] }, 'a.0.b')).toBeUndefined();
    expect(valueAtPath({ a: 'text' }, 'a.length')).toBeUndefined();
    expect(valueAtPath({}, 'constructor')).toBeUndefined();
  });

  it.each([
    ['2026-12-16T14:00:00+09:00', 'Asia/Seoul', '2026-12-16T05:00:00.000Z'],
    ['2026-12-16 14:00:00', 'Asia/Seoul', '2026-12-16T05:00:00.000Z'],
    ['2026-12-16 10:00:00', 'Asia/Yekaterinburg', '2026-12-16T05:00:00.000Z'],
    ['1797397200', 'UTC', new Date(1797397200_000).toISOString()],
    ['1797397200123', 'UTC', new Date(1797397200123).toISOString()],
  ])('reads the sent time %s (in %s)', (raw, zone, expected) => {
    expect(readSentAt(raw, zone)?.toISOString()).toBe(expected);
  });
});

describe('the queue message a gateway delivery becomes', () => {
  it('reads back as the same inbound SMS, sentAt included', () => {
    const sms = {
      messageId: 'kr-aggregator:1',
      from: '01012345678',
      to: '16610120',
      body: '중지',
      sentAt: '2026-12-16T04:59:00.000Z',
    };
    expect(readInboundSms(gatewayQueueBody(sms), NOW)).toEqual(sms);
  });
});
