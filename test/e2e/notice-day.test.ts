// The 12th in Seoul, through `npm start`'s runtime: a resident signs up, the clock moves over the notice day, the
// bill notice is in the outbox (by messenger, or by SMS for a phone that is no KakaoTalk user), a second run sends
// nothing new, and the report counts what went.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

let runtime: Runtime;
const tableName = `e2e-notice-day-${Date.now()}`;

interface OutboxEntry {
  to: string;
  channel: string;
  purpose: string;
  body: string;
}
interface DemoAccount {
  accountNumber: string;
  phone: string;
  messengerUser: boolean;
}

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${runtime.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};
const get = async <T>(path: string) => (await (await fetch(`${runtime.url}${path}`)).json()) as T;
const notices = async () =>
  (await get<{ items: OutboxEntry[] }>('/_local/outbox')).items.filter((m) => m.purpose === 'notice');
/** The ops CLI in a child process, awaited without blocking this process (the runtime answers it from here). */
const ops = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bin/ops.ts', 'notices', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    // 09:00 on 2026-12-05 in Seoul: before the 8th, so December's bill notice is the first.
    clock: startingClock(new Date('2026-12-05T00:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName },
    demoAccounts: 40,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

/** Signs a demo account's registered phone up for bill notices, code from the outbox. */
async function signUp(accountNumber: string, phone: string, channel: 'messenger' | 'sms') {
  const started = await post('/subscriptions', {
    accountNumber,
    phone,
    channel,
    language: 'ko',
    consentVersion: '2026-11',
  });
  expect(started.status).toBe(202);
  const outbox = await get<{ items: OutboxEntry[] }>(`/_local/outbox?to=${encodeURIComponent(phone)}`);
  const code = outbox.items[0]?.body.match(/(\d{6})/)?.[1];
  const verified = await post(`/subscriptions/${String(started.json.id)}/verify`, { code });
  expect(verified.json.subscription).toMatchObject({ status: 'active', effectiveMonth: '2026-12' });
}

describe('the notice day in the local runtime', () => {
  it('sends each subscriber the bill once, by messenger or SMS, and reports it', async () => {
    const showcase = (await get<{ accounts: DemoAccount[] }>('/_local/demo')).accounts;
    // Seoul bills every two months, half its accounts in odd months: those with a December bill.
    const billed: DemoAccount[] = [];
    for (const a of showcase) if (await runtime.deps.bills.get(a.accountNumber, '2026-12')) billed.push(a);
    const user = billed.find((a) => a.messengerUser);
    const nonUser = billed.find((a) => !a.messengerUser);
    if (!user || !nonUser) throw new Error('the demo has a messenger user and a non-user');
    await signUp(user.accountNumber, user.phone, 'messenger');
    await signUp(nonUser.accountNumber, nonUser.phone, 'messenger');

    const moved = await post('/_local/clock', { now: '2026-12-12T10:30:00+09:00' });
    expect(moved.status).toBe(200);

    const sent = await notices();
    const toUser = sent.filter((m) => m.to === user.phone);
    const toNonUser = sent.filter((m) => m.to === nonUser.phone);
    expect(toUser.map((m) => m.channel)).toEqual(['messenger']);
    // No KakaoTalk: the same notice once by SMS (an LMS in Korea), recorded as a fallback.
    expect(toNonUser.map((m) => m.channel)).toEqual(['sms']);
    expect(toNonUser[0]?.body).toContain('원');

    // Planned again by an operator: nothing new reaches anyone.
    const again = await ops('run', '--period', '2026-12', '--runtime', runtime.url);
    expect(again.stdout).toContain('Notice run bill/2026-12 started (start 2)');
    expect(await notices()).toHaveLength(sent.length);

    const report = await ops(
      'report',
      '--period',
      '2026-12',
      '--endpoint',
      runtime.dynamoEndpoint,
      '--table',
      tableName,
      '--json',
    );
    expect(JSON.parse(report.stdout)).toMatchObject({
      run: 'bill/2026-12',
      pending: 0,
      counts: { sent: 2, byChannel: { messenger: 1, sms: 1 }, fellBack: 1, lmsMessages: 1 },
      estimatedCost: { currency: 'KRW', messenger: 10, lms: 45, total: 55 },
    });

    // The same report for the staff console, behind a staff token; a district clerk does not see utility totals.
    const token = async (body: unknown) => String((await post('/_local/staff-token', body)).json.token);
    const staffGet = async (path: string, bearer?: string) => {
      const response = await fetch(`${runtime.url}${path}`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const admin = await token({ role: 'admin' });
    const asAdmin = await staffGet('/admin/notice-runs/bill/2026-12', admin);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.json).toMatchObject({ run: 'bill/2026-12', counts: { sent: 2 } });
    const clerk = await token({ role: 'staff', districts: ['11440'] });
    expect((await staffGet('/admin/notice-runs/bill/2026-12', clerk)).status).toBe(403);
    expect((await staffGet('/admin/notice-runs/bill/2026-12')).status).toBe(401);
    expect((await staffGet('/admin/notice-runs/bill/2026-11', admin)).json).toMatchObject({
      type: 'urn:utilitydesk:problem:notice-run-not-found',
    });
    expect((await staffGet('/admin/notice-runs/letters/2026-12', admin)).status).toBe(400);

    // The local carrier reported the fallback SMS delivered; the messenger sends no reports, so its notice awaits one.
    expect(asAdmin.json).toMatchObject({
      counts: { delivered: { sms: 1, messenger: 0 }, failed: { sms: {}, messenger: {} } },
      delivery: {
        sms: { sent: 1, delivered: 1, failed: 0, awaiting: 0 },
        messenger: { sent: 1, delivered: 0, failed: 0, awaiting: 1 },
      },
    });
  }, 120_000);
});
