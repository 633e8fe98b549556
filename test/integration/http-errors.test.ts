import { beforeAll, describe, expect, it } from 'vitest';
import { route as otpRoute } from '#handlers/http/auth-otp';
import { route as notFoundRoute } from '#handlers/http/not-found';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

let world: TestWorld;
const post = (
  rawBody: string | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) =>
  call(otpRoute, world.deps, {
    method: 'POST',
    path: '/auth/otp',
    ...(rawBody !== undefined ? { rawBody } : {}),
    headers,
  });

beforeAll(async () => {
  world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
});

describe('every error is problem+json, and bad input is never a 500', () => {
  it('malformed JSON -> 400 naming the problem', async () => {
    const response = await post('{"accountNumber": "1234567833",');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({
      type: problemType('malformed-json'),
      title: 'Bad request',
      status: 400,
    });
    expect(response.json.detail).toMatch(/^The body is not valid JSON: /);
  });

  it('an empty body -> 400', async () => {
    const response = await post(undefined);
    expect([response.status, response.json.type]).toEqual([400, problemType('malformed-json')]);
  });

  it('JSON that is not an object -> 400 validation error', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const response = await post(body);
      expect([response.status, response.json.type]).toEqual([400, problemType('validation-error')]);
    }
  });

  it('unknown fields -> 400 naming them', async () => {
    const response = await post(
      JSON.stringify({ accountNumber: '1234567833', phone: '+79123456789', pin: '1' }),
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json.errors)).toContain('pin');
  });

  it('a body over 64 KiB -> 413', async () => {
    const response = await post(JSON.stringify({ accountNumber: '1'.repeat(70_000), phone: '+79123456789' }));
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ type: problemType('payload-too-large'), limitBytes: 65536 });
  });

  it('a body of exactly 64 KiB is read (and then validated)', async () => {
    const filler = 'x'.repeat(65536 - JSON.stringify({ accountNumber: '', phone: '' }).length);
    const body = JSON.stringify({ accountNumber: filler, phone: '' });
    expect(Buffer.byteLength(body)).toBe(65536);
    expect((await post(body)).status).toBe(400);
  });

  it('a body that is not JSON by content type -> 415', async () => {
    const response = await post('accountNumber=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect([response.status, response.json.type]).toEqual([415, problemType('unsupported-media-type')]);
  });

  it('an unknown route -> 404', async () => {
    const response = await call(notFoundRoute, world.deps, { method: 'DELETE', path: '/bills' });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ type: problemType('route-not-found'), instance: '/bills' });
  });

  it('an unexpected failure -> 500 with no internals in the body', async () => {
    const broken = {
      ...world.deps,
      otps: Object.assign(Object.create(world.deps.otps), {
        getSendLog: () => Promise.reject(new Error('secret detail')),
      }),
    };
    const response = await call(otpRoute, broken, {
      method: 'POST',
      path: '/auth/otp',
      body: { accountNumber: '1234567833', phone: '+79123456789' },
    });
    expect(response.status).toBe(500);
    expect(response.json.type).toBe(problemType('internal-error'));
    expect(JSON.stringify(response.json)).not.toContain('secret detail');
  });
});
