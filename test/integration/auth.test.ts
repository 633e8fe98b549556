import { beforeEach, describe, expect, it } from 'vitest';
import { route as otpRoute } from '#handlers/http/auth-otp';
import { route as tokenRoute } from '#handlers/http/auth-token';
import { route as listRoute } from '#handlers/http/list-bills';
import { anAccount } from '#test/support/builders';
import { lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

const ACCOUNT = '123456789';
const PHONE = '+821012345678';
const OTHER_PHONE = '+821098765432';

let world: TestWorld;

const requestCode = (body: Record<string, unknown> = { accountNumber: ACCOUNT, phone: PHONE }) =>
  call(otpRoute, world.deps, { method: 'POST', path: '/auth/otp', body });
const exchange = (code: string, phone = PHONE, accountNumber = ACCOUNT) =>
  call(tokenRoute, world.deps, { method: 'POST', path: '/auth/token', body: { accountNumber, phone, code } });

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-11-20T01:00:00Z'));
  await world.deps.accounts.putMany([anAccount({ accountNumber: ACCOUNT, phones: [PHONE] })]);
});

describe('POST /auth/otp', () => {
  it('sends a six-digit code by SMS to a phone registered on the account, in Korean', async () => {
    const response = await requestCode({ accountNumber: ACCOUNT, phone: '010-1234-5678' });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ status: 'accepted', expiresInSeconds: 300 });
    const [sms] = world.sms.list(PHONE);
    expect(sms?.purpose).toBe('otp');
    expect(sms?.body).toMatch(/^\[서울특별시 상수도사업본부\] 인증번호 \d{6} \(5분 이내 입력\)/);
  });

  it('answers an unregistered phone or unknown account exactly alike, and sends nothing', async () => {
    const registered = await requestCode();
    const unregistered = await requestCode({ accountNumber: ACCOUNT, phone: OTHER_PHONE });
    const unknownAccount = await requestCode({ accountNumber: '999999999', phone: '+821055554444' });
    expect(unregistered).toEqual(registered);
    expect(unknownAccount).toEqual(registered);
    expect(world.sms.list(OTHER_PHONE)).toEqual([]);
    expect(world.sms.list()).toHaveLength(1);
  });

  it('stores the code hashed, never the code itself', async () => {
    await requestCode();
    const code = lastCode(world.sms, PHONE);
    const stored = await world.deps.otps.get(ACCOUNT, PHONE);
    expect(stored?.codeHash).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('refuses a fourth code to the same phone within 10 minutes with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await requestCode()).status).toBe(202);
      world.clock.advance(60_000);
    }
    const refused = await requestCode();
    expect(refused.status).toBe(429);
    expect(refused.json.type).toBe(problemType('otp-rate-limited'));
    expect(Number(refused.headers['retry-after'])).toBe(420);
    world.clock.advance(420_000);
    expect((await requestCode()).status).toBe(202);
  });

  it('counts an unregistered phone against the same limit, so 429 reveals nothing either', async () => {
    for (let i = 0; i < 3; i++) await requestCode({ accountNumber: ACCOUNT, phone: OTHER_PHONE });
    expect((await requestCode({ accountNumber: ACCOUNT, phone: OTHER_PHONE })).status).toBe(429);
  });

  it('admits exactly three of many concurrent requests for one phone', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => requestCode()));
    expect(results.filter((r) => r.status === 202)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
  });

  it('names the field of an invalid phone or account number', async () => {
    const badPhone = await requestCode({ accountNumber: ACCOUNT, phone: '12345' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.errors).toEqual([
      { field: 'body.phone', message: '"12345" is not a valid phone number for KR' },
    ]);
    const badAccount = await requestCode({ accountNumber: '12-34', phone: PHONE });
    expect(badAccount.status).toBe(400);
    expect(badAccount.json.errors).toEqual([
      { field: 'body.accountNumber', message: 'expected something like 123456789' },
    ]);
    const missing = await requestCode({ phone: PHONE });
    expect(missing.json.errors).toMatchObject([{ field: 'body.accountNumber' }]);
  });
});

describe('POST /auth/token', () => {
  it('exchanges the right code for a 15-minute bearer token scoped to the account', async () => {
    await requestCode();
    const response = await exchange(lastCode(world.sms, PHONE));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, accountNumber: ACCOUNT });
    const list = await call(listRoute, world.deps, {
      method: 'GET',
      path: `/accounts/${ACCOUNT}/bills`,
      routePath: '/accounts/{accountNumber}/bills',
      pathParameters: { accountNumber: ACCOUNT },
      headers: { authorization: `Bearer ${response.json.accessToken}` },
    });
    expect(list.status).toBe(200);
  });

  it('accepts a code only once', async () => {
    await requestCode();
    const code = lastCode(world.sms, PHONE);
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.json.type).toBe(problemType('otp-invalid'));
  });

  it('refuses a code after 5 minutes', async () => {
    await requestCode();
    const code = lastCode(world.sms, PHONE);
    world.clock.advance(5 * 60_000);
    const response = await exchange(code);
    expect(response.status).toBe(401);
    expect(response.json.type).toBe(problemType('otp-expired'));
  });

  it('accepts a code at 4:59', async () => {
    await requestCode();
    world.clock.advance(5 * 60_000 - 1_000);
    expect((await exchange(lastCode(world.sms, PHONE))).status).toBe(200);
  });

  it('allows five attempts: after four wrong ones the right code still works', async () => {
    await requestCode();
    const code = lastCode(world.sms, PHONE);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const response = await exchange(wrong);
      expect(response.status).toBe(401);
      expect(response.json.detail).toBe(`The code is wrong; ${left} attempt${left === 1 ? '' : 's'} left.`);
    }
    expect((await exchange(code)).status).toBe(200);
  });

  it('refuses even the right code after five wrong ones', async () => {
    await requestCode();
    const code = lastCode(world.sms, PHONE);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await exchange(wrong);
    const response = await exchange(code);
    expect(response.status).toBe(401);
    expect(response.json.type).toBe(problemType('otp-attempts-exceeded'));
  });

  it('lets concurrent guesses use no more than five attempts', async () => {
    await requestCode();
    const code = lastCode(world.sms, PHONE);
    const guesses = Array.from({ length: 12 }, (_, i) =>
      String((Number(code) + i + 1) % 1_000_000).padStart(6, '0'),
    );
    await Promise.all(guesses.map((g) => exchange(g)));
    expect((await world.deps.otps.get(ACCOUNT, PHONE))?.attempts).toBe(5);
    expect((await exchange(code)).status).toBe(401);
  });

  it('gives no token for an unregistered phone, whatever code is tried', async () => {
    await requestCode({ accountNumber: ACCOUNT, phone: OTHER_PHONE });
    const results = await Promise.all(['000000', '123456', '999999'].map((c) => exchange(c, OTHER_PHONE)));
    expect(results.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  it('treats a code for another account as wrong', async () => {
    await world.deps.accounts.putMany([anAccount({ accountNumber: '223456789', phones: [PHONE] })]);
    await requestCode();
    const response = await exchange(lastCode(world.sms, PHONE), PHONE, '223456789');
    expect(response.status).toBe(401);
  });

  it('validates the code format before looking anything up', async () => {
    const response = await exchange('12ab56');
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([{ field: 'body.code', message: 'six digits' }]);
  });
});
