import { describe, expect, it } from 'vitest';
import { availableUtilities, loadUtilityConfig } from '#config/load';
import { ConfigError, localize, parseUtilityConfig, primaryLanguage } from '#config/schema';

const seoul = () => structuredClone(loadUtilityConfig('seoul-water')) as Record<string, unknown>;

function problemOf(raw: unknown): string {
  try {
    parseUtilityConfig(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('utility configuration', () => {
  it('ships the two demo utilities, both valid', () => {
    expect(availableUtilities()).toEqual(['seoul-water', 'tyumen-power']);
    const seoulConfig = loadUtilityConfig('seoul-water');
    expect(seoulConfig).toMatchObject({ locale: 'ko-KR', currency: 'KRW', timeZone: 'Asia/Seoul' });
    expect(seoulConfig.subscriptions.signupCutoffDay).toBe(8);
    expect(seoulConfig.billing.noticeDay).toBe(12);
    expect(seoulConfig.readings.window).toEqual({ startDay: 15, endDay: 25 });
    const tyumen = loadUtilityConfig('tyumen-power');
    expect(tyumen).toMatchObject({ locale: 'ru-RU', currency: 'RUB', timeZone: 'Asia/Yekaterinburg' });
    expect(tyumen.meterKinds.map((m) => m.kind)).toEqual(['single', 'two-tariff']);
    expect(tyumen.estimation.policy).toBe('average-then-normative');
  });

  it('names an unknown utility and lists the known ones', () => {
    expect(() => loadUtilityConfig('busan-water')).toThrow(
      /Unknown utility "busan-water".*seoul-water, tyumen-power/,
    );
  });

  it('names the field of a misspelled time zone', () => {
    expect(problemOf({ ...seoul(), timeZone: 'Asia/Seol' })).toMatch(/timeZone: an IANA time zone/);
  });

  it('names a missing field', () => {
    const { currency: _currency, ...rest } = seoul();
    expect(problemOf(rest)).toMatch(/^ {2}currency: /m);
  });

  it('names a nested field by its path', () => {
    const config = seoul();
    (config.billing as Record<string, unknown>).noticeDay = 31;
    expect(problemOf(config)).toMatch(/billing\.noticeDay: /);
  });

  it('sends through a gateway only when that gateway exists and has a send profile', () => {
    type Channels = { sms: { outbound: unknown; inboundGateways: Array<Record<string, unknown>> } };
    const unknown = seoul();
    (unknown.channels as Channels).sms.outbound = { provider: 'gateway', gateway: 'nobody' };
    expect(problemOf(unknown)).toMatch(/channels\.sms\.outbound\.gateway: no inboundGateways entry "nobody"/);
    const sendless = seoul();
    delete (sendless.channels as Channels).sms.inboundGateways[0]?.send;
    expect(problemOf(sendless)).toMatch(/gateway "kr-aggregator" has no "send" profile/);
  });

  it('refuses a gateway send profile that puts two fields on one spot', () => {
    type Send = { fields: Record<string, string>; constants: Record<string, string> };
    const sendOf = (config: Record<string, unknown>) =>
      (config.channels as { sms: { inboundGateways: Array<{ send: Send }> } }).sms.inboundGateways[0]?.send;
    const same = seoul();
    const send = sendOf(same);
    if (!send) throw new Error('no send profile');
    send.constants = { 'data.text': 'x' };
    expect(problemOf(same)).toMatch(/inboundGateways\.0\.send: two fields are put at "data\.text"/);
    send.constants = { data: 'x' };
    expect(problemOf(same)).toMatch(/two fields are put at "data"/);
  });

  it('trusts a gateway’s clock 5 minutes by default, with a replay window the inbound ledger outlasts', () => {
    // A replay inside the window must still find its message id in the ledger (14 days), or it would act twice.
    expect(loadUtilityConfig('tyumen-power').channels.sms.inboundGateways[0]?.timestamps).toEqual({
      skewMinutes: 5,
      replayWindowMinutes: 1440,
    });
    const config = seoul();
    const gateway = (config.channels as { sms: { inboundGateways: Array<Record<string, unknown>> } }).sms
      .inboundGateways[0];
    if (!gateway) throw new Error('no gateway');
    gateway.timestamps = { skewMinutes: 5, replayWindowMinutes: 14 * 24 * 60 };
    expect(problemOf(config)).toMatch(
      /inboundGateways\.0\.timestamps: replayWindowMinutes plus skewMinutes must be under 20160/,
    );
    gateway.timestamps = { skewMinutes: 30, replayWindowMinutes: 30 };
    expect(problemOf(config)).toMatch(/replayWindowMinutes must be longer than skewMinutes/);
    gateway.timestamps = { skewMinutes: 0, replayWindowMinutes: 14 * 24 * 60 - 1 };
    expect(() => parseUtilityConfig(config, 'test.json')).not.toThrow();
  });

  it('sends to a gateway over HTTPS, plain HTTP only to this machine', () => {
    const config = seoul();
    const gateway = (config.channels as { sms: { inboundGateways: Array<{ send: { url: string } }> } }).sms
      .inboundGateways[0];
    if (!gateway) throw new Error('no gateway');
    gateway.send.url = 'http://sms.kr-aggregator.example/v1/messages';
    expect(problemOf(config)).toMatch(/send\.url: must be https/);
    gateway.send.url = 'http://127.0.0.1:8080/send';
    expect(() => parseUtilityConfig(config, 'test.json')).not.toThrow();
  });

  it('checks every outbound provider’s own fields, and the e-mail sender’s address', () => {
    const config = seoul();
    const channels = config.channels as { sms: { outbound: unknown }; email: unknown };
    channels.sms.outbound = { provider: 'pinpoint', applicationId: 'not-a-project' };
    expect(problemOf(config)).toMatch(/applicationId: a Pinpoint project id/);
    channels.sms.outbound = { provider: 'sns', originationNumber: '010-1234' };
    expect(problemOf(config)).toMatch(/originationNumber: an E\.164 number/);
    channels.sms.outbound = { provider: 'sns' };
    channels.email = { provider: 'ses', from: 'not-an-address' };
    expect(problemOf(config)).toMatch(/channels\.email\.from/);
    channels.email = { provider: 'none' };
    expect(parseUtilityConfig(config, 'test.json').channels.sms.outbound).toEqual({
      provider: 'sns',
      smsType: 'Transactional',
    });
  });

  describe('the messenger profile', () => {
    type Profile = Record<string, unknown> & {
      request: Record<string, unknown>;
      answer: Record<string, unknown>;
    };
    const messengerOf = (config: Record<string, unknown>) =>
      (config.channels as { messenger: Profile }).messenger;

    it('is an HTTP template API for Seoul, with Kakao’s unreachable codes and a 5 s timeout by default; none for Tyumen', () => {
      const config = seoul();
      const profile = messengerOf(config);
      delete profile.unreachableCodes;
      delete profile.timeoutMs;
      const parsed = parseUtilityConfig(config, 'test.json').channels.messenger;
      expect(parsed).toMatchObject({
        provider: 'alimtalk-http',
        unreachableCodes: ['3018', '3019', '3020'],
        throttledCodes: [],
        duplicateCodes: [],
        timeoutMs: 5000,
      });
      expect(loadUtilityConfig('tyumen-power').channels.messenger).toEqual({ provider: 'none' });
    });

    it('accepts the local stand-in and refuses a provider it does not know, naming the field', () => {
      const config = seoul();
      (config.channels as { messenger: unknown }).messenger = { provider: 'local' };
      expect(parseUtilityConfig(config, 'test.json').channels.messenger).toEqual({ provider: 'local' });
      (config.channels as { messenger: unknown }).messenger = { provider: 'kakao-alimtalk' };
      expect(problemOf(config)).toMatch(/channels\.messenger\.provider: /);
    });

    it('sends over HTTPS only, plain HTTP only to this machine', () => {
      const config = seoul();
      messengerOf(config).url = 'http://alimtalk.kr-provider.example/messages';
      expect(problemOf(config)).toMatch(/channels\.messenger\.url: must be https/);
    });

    it('needs somewhere to put the template’s values, and puts no two fields on one spot', () => {
      const config = seoul();
      const { request } = messengerOf(config);
      delete request.parameters;
      expect(problemOf(config)).toMatch(/channels\.messenger\.request: needs "parameters" or "text"/);
      request.parameters = 'templateParameter';
      request.reference = 'templateParameter.ref';
      expect(problemOf(config)).toMatch(
        /channels\.messenger\.request: two fields are put at "templateParameter"/,
      );
      // Without a recipient list, the recipient's fields share the body's root with the sender key.
      request.reference = 'recipientGroupingKey';
      delete request.recipientList;
      request.recipient = 'senderKey';
      expect(problemOf(config)).toMatch(/two fields are put at "senderKey"/);
    });

    it('refuses a result code listed with two meanings, and an empty template map', () => {
      const config = seoul();
      const profile = messengerOf(config);
      profile.retryableCodes = ['3019'];
      profile.templates = {};
      const message = problemOf(config);
      expect(message).toMatch(/channels\.messenger\.retryableCodes: "3019" is in unreachableCodes too/);
      expect(message).toMatch(/channels\.messenger\.templates: needs at least one template/);
    });

    it('names a secret and header that AWS and HTTP would refuse', () => {
      const config = seoul();
      const profile = messengerOf(config);
      profile.secretName = 'alimtalk key';
      profile.apiKeyHeader = 'X Secret';
      const message = problemOf(config);
      expect(message).toMatch(/channels\.messenger\.secretName: a Secrets Manager secret name/);
      expect(message).toMatch(/channels\.messenger\.apiKeyHeader: an HTTP header name/);
    });

    it('names the messenger for residents in the utility’s languages, the primary one required', () => {
      // Seoul calls it KakaoTalk in its sign-up; a name given in English alone would leave Korean pages without one.
      expect(loadUtilityConfig('seoul-water').channels.messenger).toMatchObject({
        name: { ko: '카카오톡 알림톡', en: 'KakaoTalk' },
      });
      const config = seoul();
      messengerOf(config).name = { en: 'KakaoTalk' };
      expect(problemOf(config)).toMatch(/channels\.messenger\.name: needs a "ko" text/);
      messengerOf(config).name = { ko: '' };
      expect(problemOf(config)).toMatch(/channels\.messenger\.name\.ko: /);
    });
  });

  it('rejects an unknown field, so a typo does not pass silently', () => {
    expect(problemOf({ ...seoul(), timezone: 'Asia/Seoul' })).toMatch(/timezone/);
  });

  it('requires texts in the primary language', () => {
    const config = seoul();
    config.name = { en: 'Seoul Waterworks' };
    expect(problemOf(config)).toMatch(/name: needs a "ko" text/);
  });

  it('rejects a reading window that ends before it starts', () => {
    const config = seoul();
    (config.readings as { window: unknown }).window = { startDay: 25, endDay: 15 };
    expect(problemOf(config)).toMatch(/readings\.window: startDay is after endDay/);
  });

  it('rejects a tariff bound to a register no meter has', () => {
    const config = seoul();
    (config.tariffs as Array<Record<string, unknown>>)[0] = {
      code: 'water',
      label: { ko: '상수도요금' },
      register: 'night',
      rates: [{ from: '2023-01', rate: 580 }],
    };
    expect(problemOf(config)).toMatch(/tariffs\.0\.register: "night" is no register/);
  });

  it('rejects rates out of order and duplicate district codes', () => {
    const config = seoul();
    const [water] = config.tariffs as Array<{ rates: unknown }>;
    if (water)
      water.rates = [
        { from: '2023-01', rate: 580 },
        { from: '2022-01', rate: 480 },
      ];
    const districts = config.districts as unknown[];
    districts.push(districts[0]);
    const message = problemOf(config);
    expect(message).toMatch(/tariffs\.0\.rates\.1\.from: rates must be in ascending order/);
    expect(message).toMatch(/districts\.6\.code: duplicate "11110"/);
  });

  it('rejects an account-number example that does not match its pattern', () => {
    expect(problemOf({ ...seoul(), accountNumber: { pattern: '\\d{9}', example: '12-34' } })).toMatch(
      /accountNumber\.example: does not match the pattern/,
    );
  });

  // Texts, SMS replies and the import's labels all fall back to the language of the utility's locale.
  it('takes the primary language from the locale, and localizes to it when a language is missing', () => {
    const seoulConfig = loadUtilityConfig('seoul-water');
    expect(primaryLanguage(seoulConfig)).toBe('ko');
    expect(primaryLanguage(loadUtilityConfig('tyumen-power'))).toBe('ru');
    expect(localize(seoulConfig, { ko: '상수도', en: 'water' }, 'en')).toBe('water');
    expect(localize(seoulConfig, { ko: '상수도', en: 'water' }, 'ru')).toBe('상수도');
  });
});

describe('estimation configuration', () => {
  const tyumen = () => structuredClone(loadUtilityConfig('tyumen-power')) as Record<string, unknown>;
  const estimationOf = (config: Record<string, unknown>) =>
    config.estimation as { policy: string; minimumHistoryMonths: number; normative: Record<string, unknown> };

  // Tyumen estimates six months on the average, then the normative of the meter's kind and register (seed 004).
  it('ships Tyumen with six periods on the average and a normative per meter kind and register', () => {
    expect(loadUtilityConfig('tyumen-power').estimation).toEqual({
      policy: 'average-then-normative',
      averageMonths: 6,
      maxEstimatedPeriods: 6,
      minimumHistoryMonths: 3,
      normative: { single: { total: 180 }, 'two-tariff': { day: 120, night: 60 } },
    });
    expect(loadUtilityConfig('seoul-water').estimation.normative).toEqual({ single: { total: 12 } });
  });

  // A two-tariff household with no reading and no history would have nothing to be billed on.
  it('names the meter kind that lacks a normative when the policy falls back to it', () => {
    const config = tyumen();
    delete estimationOf(config).normative['two-tariff'];
    expect(problemOf(config)).toMatch(
      /estimation\.normative\.two-tariff: policy "average-then-normative" needs a normative for meter kind "two-tariff" \(day, night\)/,
    );
    estimationOf(config).policy = 'average';
    expect(() => parseUtilityConfig(config, 'test.json')).not.toThrow();
  });

  it('names a missing register, a register the kind does not have, and a kind the utility does not have', () => {
    const config = tyumen();
    estimationOf(config).normative = {
      single: { total: 180 },
      'two-tariff': { day: 120, peak: 30 },
      'three-tariff': { peak: 30, night: 60, shoulder: 90 },
    };
    const message = problemOf(config);
    expect(message).toMatch(
      /estimation\.normative\.two-tariff\.night: meter kind "two-tariff" has register "night"/,
    );
    expect(message).toMatch(/estimation\.normative\.two-tariff\.peak: "peak" is no register of meter kind/);
    expect(message).toMatch(
      /estimation\.normative\.three-tariff: "three-tariff" is no configured meter kind/,
    );
  });

  it('refuses a minimum history longer than the months the average is taken over', () => {
    const config = tyumen();
    estimationOf(config).minimumHistoryMonths = 7;
    expect(problemOf(config)).toMatch(/estimation\.minimumHistoryMonths: more than averageMonths \(6\)/);
  });
});
