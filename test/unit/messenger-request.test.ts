// The messenger profile's request and answer mapping, for the three Korean AlimTalk providers it is shaped after.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { type AlimTalkHttpConfig, parseUtilityConfig } from '#config/schema';
import { readAtPath } from '#domain/json-path';
import { buildMessengerRequest, readMessengerAnswer } from '#domain/messenger-request';

const seoul = loadUtilityConfig('seoul-water');

/** A profile checked by the real schema (defaults filled in), from the fields that differ from Seoul's. */
function profile(fields: Record<string, unknown>): AlimTalkHttpConfig {
  const base = seoul.channels.messenger;
  if (base.provider !== 'alimtalk-http') throw new Error('Seoul has no HTTP messenger profile');
  const raw = { ...seoul, channels: { ...seoul.channels, messenger: { ...base, ...fields } } };
  const messenger = parseUtilityConfig(raw, 'test.json').channels.messenger;
  if (messenger.provider !== 'alimtalk-http') throw new Error('not an HTTP profile');
  return messenger;
}

const input = {
  to: '+821012345678',
  templateCode: 'TPL01',
  parameters: { name: '김*준', amount: '41,230' },
  text: '김*준 님, 수도요금 41,230원',
  idempotencyKey: 'notice-1',
};

describe('the request for one template message', () => {
  it('lays out Naver Cloud SENS: the whole text as content, one entry of messages', () => {
    const sens = profile({
      senderKey: '@seoulwater',
      recipientFormat: 'national',
      request: {
        senderKey: 'plusFriendId',
        templateCode: 'templateCode',
        recipientList: 'messages',
        recipient: 'to',
        text: 'content',
        recipientConstants: { useSmsFailover: false },
      },
      answer: {
        code: ['messages.0.requestStatusCode', 'statusCode'],
        successCodes: ['A000'],
        messageId: 'messages.0.messageId',
      },
    });
    expect(JSON.parse(buildMessengerRequest(sens, input))).toEqual({
      plusFriendId: '@seoulwater',
      templateCode: 'TPL01',
      messages: [{ to: '01012345678', content: input.text, useSmsFailover: false }],
    });
  });

  it('lays out Solapi: one message object, variables keyed "#{name}", fixed fields from the profile', () => {
    const solapi = profile({
      senderKey: 'KA01PF0123456789',
      recipientFormat: 'national',
      request: {
        senderKey: 'message.kakaoOptions.pfId',
        templateCode: 'message.kakaoOptions.templateId',
        recipient: 'message.to',
        parameters: 'message.kakaoOptions.variables',
        parameterKeys: 'braced',
        constants: { 'message.from': '0216610120', 'message.kakaoOptions.disableSms': true },
      },
      answer: { code: ['statusCode'], successCodes: ['2000'], messageId: 'messageId' },
    });
    expect(JSON.parse(buildMessengerRequest(solapi, input))).toEqual({
      message: {
        to: '01012345678',
        from: '0216610120',
        kakaoOptions: {
          pfId: 'KA01PF0123456789',
          templateId: 'TPL01',
          variables: { '#{name}': '김*준', '#{amount}': '41,230' },
          disableSms: true,
        },
      },
    });
  });

  it('writes the recipient in E.164 when the profile says so', () => {
    const e164 = profile({ recipientFormat: 'e164' });
    const body = JSON.parse(buildMessengerRequest(e164, input));
    expect(readAtPath(body, 'recipientList.0.recipientNo')).toBe('+821012345678');
  });

  it('keeps a parameter named like a prototype key a plain field', () => {
    const body = JSON.parse(
      buildMessengerRequest(profile({}), { ...input, parameters: JSON.parse('{"__proto__": "x"}') }),
    );
    expect(Object.keys(readAtPath(body, 'recipientList.0.templateParameter') as object)).toEqual([
      '__proto__',
    ]);
  });
});

describe('what an answer means', () => {
  const nhn = profile({});
  const answer = (code: unknown, requestId: unknown = 'req-1') =>
    JSON.stringify({
      header: { resultCode: 0 },
      message: { requestId, sendResults: [{ resultCode: code }] },
    });

  it.each([
    ['a success code with a message id', 200, answer(0), { kind: 'sent', messageId: 'req-1' }],
    ['a numeric message id', 200, answer(0, 12345), { kind: 'sent', messageId: '12345' }],
    ['an unreachable code', 200, answer(3019), { kind: 'unreachable', code: '3019' }],
    ['an unreachable code as text', 200, answer('3018'), { kind: 'unreachable', code: '3018' }],
    ['HTTP 429', 429, '', { kind: 'throttled', code: 'http-429' }],
    ['HTTP 503', 503, answer(0), { kind: 'refused', code: 'http-503', retryable: true }],
    ['a retryable code', 200, answer(3022), { kind: 'refused', code: '3022', retryable: true }],
    ['an unknown code', 200, answer(3016), { kind: 'refused', code: '3016', retryable: false }],
    ['a success code under a 4xx', 400, answer(0), { kind: 'refused', code: '0', retryable: false }],
  ])('%s', (_case, status, body, outcome) => {
    expect(readMessengerAnswer(nhn, status, body)).toEqual(outcome);
  });

  it.each([
    ['an empty body', ''],
    [
      'a success code of another type',
      JSON.stringify({ message: { requestId: 'r', sendResults: [{ resultCode: true }] } }),
    ],
    ['a blank message id', answer(0, '  ')],
    ['a message id that is an object', answer(0, { id: 1 })],
  ])('is unreadable, never a send: %s', (_case, body) => {
    expect(readMessengerAnswer(nhn, 200, body).kind).toBe('unreadable');
  });
});
