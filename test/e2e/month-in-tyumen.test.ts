// A month in Tyumen through `npm start`'s runtime: the window opens (a reminder), one resident texts a reading and
// another does not, the window closes and the billing run bills both (actual and estimated), and on the notice
// day both bills reach their phones.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { billingRunReport } from '#app/billing-report';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

let runtime: Runtime;
const tableName = `e2e-month-in-tyumen-${Date.now()}`;
/** A day/night meter, and a single-register one that will send nothing. */
const READS = '1200100000';
const SILENT = '1200100259';

interface OutboxEntry {
  to: string;
  purpose: string;
  body: string;
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
const outboxOf = async (phone: string) =>
  (await get<{ items: OutboxEntry[] }>(`/_local/outbox?to=${encodeURIComponent(phone)}`)).items;
const moveClock = (now: string) => post('/_local/clock', { now });

async function phoneOf(accountNumber: string): Promise<string> {
  const phone = (await runtime.deps.accounts.get(accountNumber))?.phones[0];
  if (!phone) throw new Error(`demo account ${accountNumber} has no phone`);
  return phone;
}

async function signUp(accountNumber: string, phone: string) {
  const started = await post('/subscriptions', {
    accountNumber,
    phone,
    channel: 'sms',
    language: 'ru',
    consentVersion: '2026-11',
  });
  expect(started.status).toBe(202);
  const code = (await outboxOf(phone))[0]?.body.match(/(\d{6})/)?.[1];
  const verified = await post(`/subscriptions/${String(started.json.id)}/verify`, { code });
  expect(verified.json.subscription).toMatchObject({ status: 'active', effectiveMonth: '2026-12' });
}

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('tyumen-power'),
    // 10:00 on 2026-11-14 in Yekaterinburg: the day before the reading window opens.
    clock: startingClock(new Date('2026-11-14T05:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName },
    demoAccounts: 40,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('a month in Tyumen', () => {
  it('reminds, takes one reading, bills one account by it and the other by estimate, and sends both bills', async () => {
    const reader = await phoneOf(READS);
    const silent = await phoneOf(SILENT);
    await signUp(READS, reader);
    await signUp(SILENT, silent);

    // The 15th, 10:00: the window opens and both residents (their meters are theirs to read) are reminded.
    await moveClock('2026-11-16T10:00:00+05:00');
    for (const phone of [reader, silent]) {
      expect((await outboxOf(phone)).some((m) => m.purpose === 'notice' && /15/.test(m.body))).toBe(true);
    }

    // One texts day and night readings; the other sends nothing.
    const sms = await post('/_local/sms', { from: reader, to: '+79037672060', body: `${READS} 4410 2362` });
    expect(sms.status).toBeLessThan(300);

    // The night after the 25th: the window has closed and the billing run bills December.
    await moveClock('2026-11-26T02:00:00+05:00');
    const measured = await runtime.deps.bills.get(READS, '2026-12');
    const estimated = await runtime.deps.bills.get(SILENT, '2026-12');
    // The last bill printed day 4300 and night 2300: 110 + 62 kWh, read by the resident on the 16th. That bill's
    // own reading was an estimate, so this one settles it: reconciled (the volume is measured all the same).
    expect(measured).toMatchObject({
      source: 'billing-run',
      usage: { method: 'reconciled', estimated: false, volume: 172, registers: { day: 110, night: 62 } },
      usagePeriod: { to: '2026-11-16' },
    });
    expect(measured?.meterReadings).toEqual([
      expect.objectContaining({
        register: 'day',
        current: { value: 4410, date: '2026-11-16', kind: 'actual' },
      }),
      expect.objectContaining({
        register: 'night',
        current: { value: 2362, date: '2026-11-16', kind: 'actual' },
      }),
    ]);
    expect(measured?.charges.map((c) => c.code)).toEqual(['energy-day', 'energy-night']);
    // No reading: the average of its actual months, printed as an estimated reading.
    expect(estimated?.usage).toMatchObject({ method: 'average', estimated: true });
    expect(estimated?.meterReadings?.[0]?.current.kind).toBe('estimated');
    const report = await billingRunReport(runtime.deps, { period: '2026-12' });
    expect(report).toMatchObject({ status: 'done', counts: { created: 40, skipped: 0, failed: 0 } });

    // The notice day: each bill reaches its phone once; the measured one shows the day and night volumes.
    await moveClock('2026-12-12T10:30:00+05:00');
    const billNotices = async (phone: string) =>
      (await outboxOf(phone)).filter((m) => m.purpose === 'notice' && m.body.includes('за декабрь 2026'));
    const [readerNotices, silentNotices] = [await billNotices(reader), await billNotices(silent)];
    expect(readerNotices).toHaveLength(1);
    expect(readerNotices[0]?.body).toContain('172 кВт·ч (день 110, ночь 62)');
    expect(silentNotices).toHaveLength(1);
    expect(silentNotices[0]?.body).toContain(`${estimated?.usage.volume} кВт·ч`);
  });
});
