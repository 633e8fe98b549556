import { beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '#domain/token';
import { route as getBillRoute } from '#handlers/http/get-bill';
import { route as listRoute } from '#handlers/http/list-bills';
import { aBill, anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

const ACCOUNT = '123456789';
const OTHER = '223456789';
let world: TestWorld;

function tokenFor(accountNumber: string, exp = Math.floor(world.clock.now().getTime() / 1000) + 900) {
  return issueToken(
    { sub: accountNumber, aud: 'seoul-water', scope: 'account', iat: exp - 900, exp },
    world.deps.keys.token,
  );
}

const list = (query?: Record<string, string>, token: string | null = tokenFor(ACCOUNT), account = ACCOUNT) =>
  call(listRoute, world.deps, {
    method: 'GET',
    path: `/accounts/${account}/bills`,
    routePath: '/accounts/{accountNumber}/bills',
    pathParameters: { accountNumber: account },
    ...(query ? { query } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

const one = (period: string, token: string | null = tokenFor(ACCOUNT), account = ACCOUNT) =>
  call(getBillRoute, world.deps, {
    method: 'GET',
    path: `/accounts/${account}/bills/${period}`,
    routePath: '/accounts/{accountNumber}/bills/{period}',
    pathParameters: { accountNumber: account, period },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

// 14 monthly bills, 2025-10 .. 2026-11; the clock stands on 2026-12-01 in Seoul.
const periods = Array.from({ length: 14 }, (_, i) => {
  const index = 2025 * 12 + 9 + i;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
});

beforeAll(async () => {
  world = await testWorld('seoul-water', new Date('2026-11-30T15:30:00Z'));
  await world.deps.accounts.putMany([
    anAccount({ accountNumber: ACCOUNT, households: 3, paymentMethod: 'auto-pay' }),
    anAccount({ accountNumber: OTHER, phones: ['+821011112222'] }),
  ]);
  await world.deps.bills.putMany([
    ...periods.map((period) =>
      aBill({
        accountNumber: ACCOUNT,
        period,
        dueDate: `${period}-28`,
        status: period < '2026-10' ? 'paid' : 'unpaid',
        payments:
          period < '2026-10'
            ? [{ paidAt: `${period}-23T09:00:00+09:00`, amount: 24600, method: 'auto-pay' }]
            : [],
      }),
    ),
    aBill({ accountNumber: OTHER, period: '2026-11' }),
  ]);
});

describe('GET /accounts/{accountNumber}/bills', () => {
  it('lists the newest bills first, 12 to a page by default, with a cursor to the rest', async () => {
    const first = await list();
    expect(first.status).toBe(200);
    const items = first.json.items as Array<{ period: string }>;
    expect(items.map((b) => b.period)).toEqual([...periods].reverse().slice(0, 12));
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await list({ cursor: String(first.json.nextCursor) });
    expect((second.json.items as Array<{ period: string }>).map((b) => b.period)).toEqual([
      '2025-11',
      '2025-10',
    ]);
    expect(second.json.nextCursor).toBeNull();
  });

  it('walks every bill exactly once with small pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: '5', ...(cursor ? { cursor } : {}) });
      seen.push(...(page.json.items as Array<{ period: string }>).map((b) => b.period));
      cursor = (page.json.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...periods].reverse());
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    const page = await list({ limit: '14' });
    expect(page.json.items).toHaveLength(14);
    expect(page.json.nextCursor).toBeNull();
  });

  it('marks an unpaid bill past its due date overdue, by the local (Seoul) date', async () => {
    const items = (await list({ limit: '3' })).json.items as Array<{ period: string; status: string }>;
    // 15:30 UTC on Nov 30 is Dec 1 in Seoul: the November bill (due Nov 28) is overdue, October too.
    expect(items.map((b) => [b.period, b.status])).toEqual([
      ['2026-11', 'overdue'],
      ['2026-10', 'overdue'],
      ['2026-09', 'paid'],
    ]);
  });

  it('refuses a bad limit or a forged cursor with 400', async () => {
    for (const limit of ['0', '51', 'ten', '2.5']) {
      const response = await list({ limit });
      expect(response.status).toBe(400);
      expect(response.json.errors).toMatchObject([{ field: 'query.limit' }]);
    }
    const forged = await list({ cursor: 'not-a-cursor' });
    expect(forged.status).toBe(400);
    expect(forged.json.type).toBe(problemType('invalid-cursor'));
  });

  it('needs a token (401), a valid one (401), and one for this account (403)', async () => {
    const none = await list(undefined, null);
    expect([none.status, none.json.type]).toEqual([401, problemType('unauthenticated')]);
    const junk = await list(undefined, 'v1.abc.def');
    expect([junk.status, junk.json.type]).toEqual([401, problemType('invalid-token')]);
    const expired = await list(undefined, tokenFor(ACCOUNT, Math.floor(world.clock.now().getTime() / 1000)));
    expect([expired.status, expired.json.type]).toEqual([401, problemType('token-expired')]);
    const other = await list(undefined, tokenFor(OTHER));
    expect([other.status, other.json.type]).toEqual([403, problemType('forbidden-account')]);
    expect(other.headers['content-type']).toBe('application/problem+json');
  });
});

describe('GET /accounts/{accountNumber}/bills/{period}', () => {
  it('shows the full bill: breakdown, reductions, arrears, due date, usage, payment and contact', async () => {
    const response = await one('2026-11');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      accountNumber: ACCOUNT,
      period: '2026-11',
      status: 'overdue',
      currency: 'KRW',
      amountDue: 24600,
      amountDueText: '₩24,600',
      dueDate: '2026-11-28',
      usagePeriod: { from: '2026-09-05', to: '2026-11-04' },
      usage: { volume: 20, unit: 'm3', registers: { total: 20 }, estimated: false },
      arrears: 0,
      lateFee: 0,
      reductions: [],
      totals: { charges: 24600, reductions: 0, paid: 0, outstanding: 24600 },
      customer: { holderName: '김*수', households: 3, sharePerHousehold: 8200 },
      payment: { method: 'auto-pay', virtualAccount: { bank: '우리은행', number: '512345678901234' } },
      contact: { phone: '120', districtOffice: { code: '11140', name: '중구', phone: '02-3146-1400' } },
    });
    expect((response.json.charges as Array<{ code: string }>).map((c) => c.code)).toEqual([
      'water',
      'sewage',
      'water-use-levy',
    ]);
  });

  // A resident checks the bill against the meter: the bill prints the previous and current reading it used.
  it('shows the meter readings the bill was based on, and none on a bill imported without them', async () => {
    const readings = [
      {
        meterId: 'WM-1',
        register: 'total',
        previous: { value: 1214, date: '2026-09-04', kind: 'actual' as const },
        current: { value: 1234, date: '2026-11-04', kind: 'estimated' as const },
        volume: 20,
      },
    ];
    await world.deps.bills.putMany([
      aBill({ accountNumber: OTHER, period: '2026-09', meterReadings: readings }),
    ]);
    const response = await one('2026-09', tokenFor(OTHER), OTHER);
    expect(response.json.meterReadings).toEqual(readings);
    expect((await one('2026-11')).json.meterReadings).toEqual([]);
  });

  it('shows payments on a paid bill', async () => {
    const response = await one('2026-03');
    expect(response.json).toMatchObject({ status: 'paid', totals: { paid: 24600, outstanding: 0 } });
  });

  it('answers 404 for a period with no bill and 400 for a malformed period', async () => {
    const missing = await one('2024-01');
    expect([missing.status, missing.json.type]).toEqual([404, problemType('bill-not-found')]);
    const malformed = await one('2026-13');
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors).toEqual([{ field: 'path.period', message: 'a month as YYYY-MM' }]);
  });

  it('does not show another account’s bill', async () => {
    const response = await one('2026-11', tokenFor(ACCOUNT), OTHER);
    expect(response.status).toBe(403);
  });
});
