// The limits on code SMS, met as an attacker, a careless client and a real account holder would meet them.
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import type { UtilityConfig } from '#config/schema';
import { route as otpRoute } from '#handlers/http/auth-otp';
import { route as tokenRoute } from '#handlers/http/auth-token';
import { route as subscribeRoute } from '#handlers/http/subscribe';
import { anAccount } from '#test/support/builders';
import { anotherInstance, lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';
import { addPhoneCall } from '#test/support/subscription-calls';

const ACCOUNT = '123456789';
const OWNER = '+821012345678';
const OTHER_ACCOUNT = '223456789';
let world: TestWorld;

function withConfig(change: (config: UtilityConfig) => UtilityConfig): void {
  world.deps = { ...world.deps, config: change(world.deps.config) };
}

const askCode = (accountNumber: string, phone: string, sourceIp = '192.0.2.1') =>
  call(otpRoute, world.deps, {
    method: 'POST',
    path: '/auth/otp',
    sourceIp,
    body: { accountNumber, phone },
  });

const exchange = (code: string, phone = OWNER, accountNumber = ACCOUNT) =>
  call(tokenRoute, world.deps, { method: 'POST', path: '/auth/token', body: { accountNumber, phone, code } });

const signUp = (phone: string, sourceIp: string) =>
  call(subscribeRoute, world.deps, {
    method: 'POST',
    path: '/subscriptions',
    sourceIp,
    body: { accountNumber: ACCOUNT, phone, channel: 'sms', language: 'ko', consentVersion: '2026-11' },
  });

const codesTo = (phone: string) => world.sms.list(phone).filter((m) => m.purpose === 'otp');

beforeEach(async () => {
  // 10:00 on 2026-12-05 in Seoul.
  world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
  await world.deps.accounts.putMany([
    anAccount({ accountNumber: ACCOUNT, phones: [OWNER] }),
    anAccount({ accountNumber: OTHER_ACCOUNT, phones: ['+821012340099'] }),
  ]);
});

describe('per client address', () => {
  // 900 sign-ups in 30 seconds from one address once texted 900 strangers: the only limits were per phone.
  it('lets one address ask for at most the configured codes, whichever instance answers', async () => {
    withConfig((c) => ({ ...c, limits: { ...c.limits, clientCodeRequests: { max: 5, windowMinutes: 15 } } }));
    const phones = Array.from({ length: 5 }, (_, i) => `+82101000100${i}`);
    await world.deps.accounts.putMany(
      phones.map((phone, i) => anAccount({ accountNumber: `30000000${i}`, phones: [phone] })),
    );
    // Requests alternate between two function instances: the count holds across them.
    const instances = [world.deps, anotherInstance(world)];
    for (const [i, phone] of phones.entries()) {
      const deps = instances[i % 2] ?? world.deps;
      const response = await call(otpRoute, deps, {
        method: 'POST',
        path: '/auth/otp',
        sourceIp: '203.0.113.7',
        body: { accountNumber: `30000000${i}`, phone },
      });
      expect(response.status).toBe(202);
    }
    const refused = await askCode(ACCOUNT, OWNER, '203.0.113.7');
    expect([refused.status, refused.json.type]).toEqual([429, problemType('client-rate-limited')]);
    // Windows are fixed 15-minute spans from the epoch: this one is 10:00-10:15, all of it left.
    expect(Number(refused.headers['retry-after'])).toBe(900);
    expect(codesTo(OWNER)).toEqual([]);
    // Another address is not held back by this one.
    expect((await askCode(ACCOUNT, OWNER, '198.51.100.20')).status).toBe(202);
    world.clock.advance(15 * 60_000);
    expect((await askCode(ACCOUNT, '+821012349999', '203.0.113.7')).status).toBe(202);
    expect(world.metrics.total('CodeRefused', { reason: 'client' })).toBe(1);
  });

  it('counts the public sign-up as a code request too', async () => {
    withConfig((c) => ({ ...c, limits: { ...c.limits, clientCodeRequests: { max: 3, windowMinutes: 15 } } }));
    for (let i = 0; i < 3; i++) expect((await signUp(`+82105555000${i}`, '203.0.113.8')).status).toBe(202);
    const refused = await signUp('+821055550009', '203.0.113.8');
    expect([refused.status, refused.json.type]).toEqual([429, problemType('client-rate-limited')]);
  });
});

describe('per account', () => {
  it('texts at most the configured codes a day to phones the holder adds, in the utility’s day', async () => {
    withConfig((c) => ({ ...c, limits: { ...c.limits, householdCodesPerDay: 3 } }));
    const token = grantToken(world.deps, 'account', ACCOUNT).accessToken;
    const add = (phone: string) => addPhoneCall(world.deps, ACCOUNT, token, phone);
    for (let i = 0; i < 3; i++) expect((await add(`+82107777000${i}`)).status).toBe(202);
    const refused = await add('+821077770009');
    expect([refused.status, refused.json.type]).toEqual([429, problemType('account-rate-limited')]);
    // 10:00 in Seoul: 14 hours to local midnight.
    expect(Number(refused.headers['retry-after'])).toBe(14 * 3600);
    expect(world.sms.list('+821077770009')).toEqual([]);
    // The holder's budget is the holder's: public code requests for the account neither spend it nor meet it.
    expect((await askCode(ACCOUNT, OWNER, '198.51.100.30')).status).toBe(202);
    world.clock.set(new Date('2026-12-05T15:00:00Z'));
    const fresh = grantToken(world.deps, 'account', ACCOUNT).accessToken;
    expect((await addPhoneCall(world.deps, ACCOUNT, fresh, '+821077770009')).status).toBe(202);
  });

  // A phone that texted STOP is its owner's choice: the holder adding it sends it nothing (the holder is answered
  // alike), and only its owner starts its notices again.
  it('sends no code to a phone the holder adds that has opted out', async () => {
    const phone = '+821077771111';
    await world.deps.optOuts.record({
      phone,
      optedOut: true,
      at: '2026-12-01T00:00:00.000Z',
      channel: 'sms',
      keyword: 'STOP',
      messageId: 'stop-1',
    });
    const token = grantToken(world.deps, 'account', ACCOUNT).accessToken;
    const added = await addPhoneCall(world.deps, ACCOUNT, token, phone);
    expect(added.status).toBe(202);
    expect(world.sms.list(phone)).toEqual([]);
  });
});

describe("the utility's daily ceiling of code SMS", () => {
  it('stops codes until local midnight, says so with 503, counts an alarm metric, and resumes the next day', async () => {
    withConfig((c) => ({ ...c, limits: { ...c.limits, dailyCodeSms: 2 } }));
    const phones = ['+821020000001', '+821020000002', '+821020000003'];
    await world.deps.accounts.putMany(
      phones.map((phone, i) => anAccount({ accountNumber: `40000000${i}`, phones: [phone] })),
    );
    const ask = (i: number) => askCode(`40000000${i}`, String(phones[i]), `198.51.100.${i + 1}`);
    expect((await ask(0)).status).toBe(202);
    expect((await ask(1)).status).toBe(202);
    const stopped = await ask(2);
    expect([stopped.status, stopped.json.type]).toEqual([503, problemType('sms-ceiling-reached')]);
    // 10:00 in Seoul: 14 hours to local midnight.
    expect(Number(stopped.headers['retry-after'])).toBe(14 * 3600);
    expect(stopped.json.detail).toContain(world.deps.config.contactPhone);
    expect(codesTo(String(phones[2]))).toEqual([]);
    // A request that would send nothing is refused alike: the ceiling tells nothing of who is registered.
    const decoy = await askCode('999999999', '+821055554444', '198.51.100.9');
    expect([decoy.status, decoy.json.type]).toEqual([503, problemType('sms-ceiling-reached')]);
    expect(world.metrics.total('CodeSmsCeilingReached')).toBe(2);
    // Midnight in Seoul is 15:00 UTC.
    world.clock.set(new Date('2026-12-05T15:00:00Z'));
    expect((await ask(2)).status).toBe(202);
  });
});

describe("decoys and a phone's own allowance", () => {
  // Anyone who knew a number could keep its owner from logging in: code requests for that number with an
  // unknown account, or with an account it is not registered on, spent the phone's 3 codes per 10 minutes.
  it('never lets requests that send nothing use up the allowance of the phone they name', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await askCode('999999999', OWNER, `198.51.100.${i + 1}`)).status).toBe(202);
      expect((await askCode(OTHER_ACCOUNT, OWNER, `198.51.100.${i + 11}`)).status).toBe(202);
    }
    expect(codesTo(OWNER)).toEqual([]);
    const own = await askCode(ACCOUNT, OWNER, '192.0.2.50');
    expect(own.status).toBe(202);
    expect(codesTo(OWNER)).toHaveLength(1);
    expect(world.metrics.total('CodeDecoy')).toBe(6);
    expect(world.metrics.total('CodeSent')).toBe(1);
  });

  // With the allowance kept per phone across accounts, three codes to (account, P) made (another account, P) answer
  // 429 if and only if P was registered on the first: a stranger could learn who is registered where.
  it('answers for one (account, phone) alike whatever was asked for the same phone with other accounts', async () => {
    const afterThreeOnAccount = async (accountNumber: string, phone: string) => {
      for (let i = 0; i < 3; i++) await askCode(accountNumber, phone, `198.51.100.${60 + i}`);
      const other = await askCode('999999999', phone, '198.51.100.70');
      const neighbour = await askCode(OTHER_ACCOUNT, phone, '198.51.100.71');
      return [other.status, other.json.type, neighbour.status, neighbour.json.type];
    };
    const registered = await afterThreeOnAccount(ACCOUNT, OWNER);
    const unregistered = await afterThreeOnAccount(ACCOUNT, '+821044445555');
    expect(registered).toEqual(unregistered);
    expect(registered[0]).toBe(202);
  });

  it('holds a decoy (account, phone) to the same allowance as a real one, with the same answer', async () => {
    const answers = async (accountNumber: string, phone: string) => {
      const out: Array<[number, string | undefined, string | undefined]> = [];
      for (let i = 0; i < 4; i++) {
        const r = await askCode(accountNumber, phone, `198.51.100.${40 + out.length}`);
        out.push([r.status, r.json.type, r.headers['retry-after']]);
      }
      return out;
    };
    const real = await answers(ACCOUNT, OWNER);
    const decoy = await answers(OTHER_ACCOUNT, '+821044443333');
    expect(decoy).toEqual(real);
    expect(real[3]?.[0]).toBe(429);
  });
});

describe('the day lock after failed rounds', () => {
  it('locks an (account, phone) for the rest of the local day after three rounds of wrong codes, and says so', async () => {
    const round = async () => {
      expect((await askCode(ACCOUNT, OWNER)).status).toBe(202);
      const code = lastCode(world.sms, OWNER);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) expect((await exchange(wrong)).status).toBe(401);
      world.clock.advance(10 * 60_000);
    };
    await round();
    await round();
    await round();
    const locked = await askCode(ACCOUNT, OWNER);
    expect([locked.status, locked.json.type]).toEqual([429, problemType('otp-locked')]);
    expect(locked.json.detail).toMatch(/after midnight/);
    // 10:30 in Seoul: 13.5 hours to midnight.
    expect(Number(locked.headers['retry-after'])).toBe(13.5 * 3600);
    expect(codesTo(OWNER)).toHaveLength(3);
    // Another phone of the account is not locked; nor this phone on another account.
    await world.deps.accounts.putMany([anAccount({ accountNumber: OTHER_ACCOUNT, phones: [OWNER] })]);
    expect((await askCode(OTHER_ACCOUNT, OWNER)).status).toBe(202);
    // The next local day it may ask again.
    world.clock.set(new Date('2026-12-05T15:00:00Z'));
    expect((await askCode(ACCOUNT, OWNER)).status).toBe(202);
  });

  // Asking for a new code before a round was used up once reset the count: 36 wrong codes in half an hour and
  // still no lock. Every wrong code counts, whatever code it was meant for.
  it('counts every wrong code, so fresh codes before a round is used up do not put the lock off', async () => {
    let wrongs = 0;
    for (let r = 0; r < 4; r++) {
      expect((await askCode(ACCOUNT, OWNER)).status).toBe(202);
      const code = lastCode(world.sms, OWNER);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++) {
        expect((await exchange(wrong)).status).toBe(401);
        wrongs++;
      }
      world.clock.advance(10 * 60_000);
    }
    expect(wrongs).toBe(16);
    const locked = await askCode(ACCOUNT, OWNER);
    expect([locked.status, locked.json.type]).toEqual([429, problemType('otp-locked')]);
  });

  it('locks a decoy (account, phone) after the same rounds, so the lock reveals nothing either', async () => {
    for (let r = 0; r < 3; r++) {
      expect((await askCode(OTHER_ACCOUNT, OWNER)).status).toBe(202);
      for (let i = 0; i < 5; i++) expect((await exchange('123456', OWNER, OTHER_ACCOUNT)).status).toBe(401);
      world.clock.advance(10 * 60_000);
    }
    const locked = await askCode(OTHER_ACCOUNT, OWNER);
    expect([locked.status, locked.json.type]).toEqual([429, problemType('otp-locked')]);
  });
});

describe("a pair's codes of the day", () => {
  // Anyone who knows a registered (account, phone) could ask for its codes every ten minutes all day: 432 SMS a
  // day a pair, and a dozen pairs would use up the utility's daily ceiling and stop every login in the city.
  it('sends at most the configured codes a day to one phone for one account, real or not, alike', async () => {
    const answers = async (accountNumber: string, phone: string) => {
      const out: Array<[number, string | undefined]> = [];
      for (let i = 0; i < 11; i++) {
        const r = await askCode(accountNumber, phone, `198.51.100.${80 + i}`);
        out.push([r.status, r.json.type]);
        world.clock.advance(10 * 60_000);
      }
      return out;
    };
    const start = world.clock.now();
    const real = await answers(ACCOUNT, OWNER);
    world.clock.set(start);
    const decoy = await answers(OTHER_ACCOUNT, '+821044446666');
    expect(real).toEqual(decoy);
    expect(real.slice(0, 10).every(([status]) => status === 202)).toBe(true);
    expect(real[10]).toEqual([429, problemType('otp-daily-limit')]);
    expect(codesTo(OWNER)).toHaveLength(10);
  });
});

describe('the store calls of a code request', () => {
  // The answer's time must not tell a registered phone from another: a decoy makes the same calls, of the same
  // kinds, as a real request, and both only queue the SMS (test/e2e/code-timing.test.ts measures the time).
  it('are the same for a registered phone, an unregistered one and an account that does not exist', async () => {
    const calls: string[] = [];
    world.table.client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const callsOf = async (accountNumber: string, phone: string) => {
      calls.length = 0;
      expect((await askCode(accountNumber, phone, '198.51.100.99')).status).toBe(202);
      return [...calls].sort();
    };
    const real = await callsOf(ACCOUNT, OWNER);
    expect(await callsOf(ACCOUNT, '+821044447777')).toEqual(real);
    expect(await callsOf('999999999', '+821044448888')).toEqual(real);
    expect(real.length).toBeGreaterThan(5);
  });
});
