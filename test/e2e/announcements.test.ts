// An announcement through `npm start`'s runtime: staff post it with a staff token at 22:30, it waits for the end of the
// quiet hours and is in the outbox only once the clock passes 08:00; one set for 09:00 goes out at 09:00.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

let runtime: Runtime;
const tableName = `e2e-announcements-${Date.now()}`;

interface OutboxEntry {
  to: string;
  channel: string;
  purpose: string;
  body: string;
}

const request = async (method: string, path: string, body?: unknown, bearer?: string) => {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};
const post = (path: string, body: unknown, bearer?: string) => request('POST', path, body, bearer);
const moveClock = async (now: string) => expect((await post('/_local/clock', { now })).status).toBe(200);
/** The outbox entries that carry this text. */
const carrying = async (text: string) =>
  ((await request('GET', '/_local/outbox')).json.items as OutboxEntry[]).filter((m) => m.body.includes(text));

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    // 20:00 on 2026-12-10 in Seoul.
    clock: startingClock(new Date('2026-12-10T11:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName },
    demoAccounts: 20,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('an announcement in the local runtime', () => {
  it('posted at 22:30 is in the outbox only after the clock passes 08:00; one set for 09:00 goes at 09:00', async () => {
    const [account] = (await request('GET', '/_local/demo')).json.accounts as Array<{
      accountNumber: string;
      phone: string;
    }>;
    if (!account) throw new Error('the demo has accounts');
    const started = await post('/subscriptions', {
      accountNumber: account.accountNumber,
      phone: account.phone,
      channel: 'sms',
      language: 'ko',
      consentVersion: '2026-11',
    });
    const [code] = (await carrying('')).flatMap((m) => (m.to === account.phone ? [m.body] : []));
    await post(`/subscriptions/${String(started.json.id)}/verify`, { code: code?.match(/(\d{6})/)?.[1] });
    const district = (await runtime.deps.accounts.get(account.accountNumber))?.district ?? '';
    // A staff token lives an hour of the runtime's clock: each is taken when it is used.
    const staffToken = async () => String((await post('/_local/staff-token', { role: 'admin' })).json.token);
    const outage = (when: string) => ({
      districts: [district],
      kind: 'outage',
      texts: { ko: `${when} 수도관 공사로 단수됩니다.`, en: `Water off ${when} for pipe works.` },
    });

    expect((await post('/admin/announcements', outage('12월 11일'))).status).toBe(401);
    await moveClock('2026-12-10T22:30:00+09:00');
    const tonight = await post('/admin/announcements', outage('12월 11일'), await staffToken());
    expect(tonight.status).toBe(201);
    expect(tonight.json).toMatchObject({ status: 'waiting', districts: [district] });
    const scheduled = await post(
      '/admin/announcements',
      { ...outage('12월 12일'), sendAt: '2026-12-11T09:00:00+09:00' },
      await staffToken(),
    );
    expect(scheduled.json).toMatchObject({ status: 'scheduled', progress: null });
    const listed = (await request('GET', '/_local/schedules')).json.items as Array<Record<string, unknown>>;
    expect(listed).toContainEqual(
      expect.objectContaining({
        name: `announcement-${String(scheduled.json.id)}`,
        expression: 'at(2026-12-11T09:00:00)',
        nextFiring: '2026-12-11T09:00:00+09:00',
      }),
    );

    await moveClock('2026-12-11T07:59:00+09:00');
    expect(await carrying('12월 11일 수도관')).toEqual([]);
    await moveClock('2026-12-11T08:00:00+09:00');
    expect(await carrying('12월 11일 수도관')).toMatchObject([{ to: account.phone, purpose: 'notice' }]);
    expect(await carrying('12월 12일 수도관')).toEqual([]);

    await moveClock('2026-12-11T09:00:00+09:00');
    expect(await carrying('12월 12일 수도관')).toMatchObject([{ to: account.phone, purpose: 'notice' }]);
    const progress = await request(
      'GET',
      `/admin/announcements/${String(scheduled.json.id)}`,
      undefined,
      await staffToken(),
    );
    expect(progress.json).toMatchObject({ status: 'planned', progress: { counts: { sent: 1 }, pending: 0 } });
  });
});
