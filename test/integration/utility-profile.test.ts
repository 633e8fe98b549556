// GET /utility: what a portal shows before anyone signs in comes from the utility's configuration, in a language.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { route } from '#handlers/http/get-utility';
import { testWorld } from '../support/deps.ts';
import { call, problemType } from '../support/http.ts';

describe('GET /utility', () => {
  it("gives Seoul's name, numbers, reading window, consent and complaint types, in the language asked for", async () => {
    // A visitor whose browser prefers English opens the portal of Seoul's water utility.
    const world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    const config = world.deps.config;
    const answer = await call(route, world.deps, {
      method: 'GET',
      path: '/utility',
      headers: { 'accept-language': 'en-US,en;q=0.9,ko;q=0.5' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-language']).toBe('en');
    expect(answer.json).toMatchObject({
      language: 'en',
      id: 'seoul-water',
      name: config.name.en,
      languages: config.languages,
      currency: 'KRW',
      timeZone: 'Asia/Seoul',
      contactPhone: config.contactPhone,
      smsNumber: config.smsNumber,
      readingWindow: config.readings.window,
      consent: { version: config.subscriptions.consent.version, text: config.subscriptions.consent.text.en },
    });
    expect((answer.json.districts as Array<{ code: string }>).map((d) => d.code)).toEqual(
      config.districts.map((d) => d.code),
    );
    expect((answer.json.complaintTypes as Array<{ code: string; name: string }>)[0]).toMatchObject({
      code: 'leak',
      name: 'Leak',
    });
  });

  it('answers Tyumen in Russian by default, and refuses a malformed lang', async () => {
    const world = await testWorld('tyumen-power', new Date('2026-12-01T05:00:00Z'));
    const answer = await call(route, world.deps, { method: 'GET', path: '/utility' });
    expect(answer.json).toMatchObject({
      language: 'ru',
      name: loadUtilityConfig('tyumen-power').name.ru,
      readingWindow: { startDay: 15, endDay: 25 },
    });
    const bad = await call(route, world.deps, {
      method: 'GET',
      path: '/utility',
      query: { lang: 'russian' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.type).toBe(problemType('validation-error'));
  });
});

describe('GET /utility district areas', () => {
  it('gives each district its area exactly as configured, and none where the config has none', async () => {
    // The portal draws the district on a map for the complaint pin; one district has no surveyed outline yet.
    const world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    const config = world.deps.config;
    const [first, second, ...rest] = config.districts;
    if (!first?.area || !second) throw new Error('Seoul is configured with district areas');
    const { area: _dropped, ...withoutArea } = second;
    const deps = { ...world.deps, config: { ...config, districts: [first, withoutArea, ...rest] } };
    const answer = await call(route, deps, { method: 'GET', path: '/utility' });
    const districts = answer.json.districts as Array<{ code: string; area?: unknown }>;
    expect(districts[0]).toEqual({ code: first.code, name: first.name.ko, area: first.area });
    expect(districts[1]).toEqual({ code: second.code, name: second.name.ko });
  });
});

describe('GET /utility notice channels', () => {
  it("offers Seoul's messenger first, by the name the config gives it in the language asked for, then SMS", async () => {
    // A Seoul resident choosing how bill notices come sees KakaoTalk by its Korean or English name, and SMS.
    const world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    const korean = await call(route, world.deps, { method: 'GET', path: '/utility' });
    expect(korean.json.channels).toEqual([{ code: 'messenger', name: '카카오톡 알림톡' }, { code: 'sms' }]);
    const english = await call(route, world.deps, { method: 'GET', path: '/utility', query: { lang: 'en' } });
    expect(english.json.channels).toEqual([{ code: 'messenger', name: 'KakaoTalk' }, { code: 'sms' }]);
  });

  it('gives the messenger without a name where the config names none, and SMS alone where there is no messenger', async () => {
    // A utility whose messenger profile has no display name lets the page call it by its own word; Tyumen has none.
    const seoul = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    const config = seoul.deps.config;
    const unnamed = {
      ...seoul.deps,
      config: { ...config, channels: { ...config.channels, messenger: { provider: 'local' as const } } },
    };
    const answer = await call(route, unnamed, { method: 'GET', path: '/utility' });
    expect(answer.json.channels).toEqual([{ code: 'messenger' }, { code: 'sms' }]);
    const tyumen = await testWorld('tyumen-power', new Date('2026-12-01T05:00:00Z'));
    const smsOnly = await call(route, tyumen.deps, { method: 'GET', path: '/utility' });
    expect(smsOnly.json.channels).toEqual([{ code: 'sms' }]);
  });
});
