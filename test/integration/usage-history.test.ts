import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '#app/ports';
import { addMonths } from '#domain/period';
import { issueToken } from '#domain/token';
import { route as usageRoute } from '#handlers/http/get-usage';
import { aBill, anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

function tokenFor(world: TestWorld, accountNumber: string) {
  const exp = Math.floor(world.clock.now().getTime() / 1000) + 900;
  return issueToken(
    { sub: accountNumber, aud: world.deps.config.id, scope: 'account', iat: exp - 900, exp },
    world.deps.keys.token,
  );
}

/** The world's deps, with every limit the bill list is asked for written down. */
function countingLimits(deps: Deps): { deps: Deps; limits: number[] } {
  const limits: number[] = [];
  const bills: Deps['bills'] = {
    list: (accountNumber, page) => {
      limits.push(page.limit);
      return deps.bills.list(accountNumber, page);
    },
    get: (accountNumber, period) => deps.bills.get(accountNumber, period),
    putMany: (bills) => deps.bills.putMany(bills),
    recordAutoPay: (...args) => deps.bills.recordAutoPay(...args),
  };
  return { deps: { ...deps, bills }, limits };
}

function usage(
  world: TestWorld,
  account: string,
  query?: Record<string, string>,
  options: { token?: string | null; deps?: Deps } = {},
) {
  const token = options.token === undefined ? tokenFor(world, account) : options.token;
  return call(usageRoute, options.deps ?? world.deps, {
    method: 'GET',
    path: `/accounts/${account}/usage`,
    routePath: '/accounts/{accountNumber}/usage',
    pathParameters: { accountNumber: account },
    ...(query ? { query } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

type Point = { period: string; volume: number; registers: Record<string, number>; method: string | null };

describe('usage history in Seoul, billed every two months', () => {
  let seoul: TestWorld;
  const EVEN = '123456789';
  const ODD = '223456789';
  /** Bills of the even months from 2024-04 to 2026-12: 17 bills over 33 months. */
  const evenPeriods = Array.from({ length: 17 }, (_, i) => addMonths('2024-04', 2 * i));

  beforeAll(async () => {
    // 2026-12-01 in Seoul; the December bill of the even-month accounts is already made.
    seoul = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    await seoul.deps.accounts.putMany([
      anAccount({ accountNumber: EVEN, billingCycle: 0 }),
      anAccount({ accountNumber: ODD, billingCycle: 1, phones: ['+821011112222'] }),
    ]);
    await seoul.deps.bills.putMany([
      ...evenPeriods.map((period, i) =>
        aBill({
          accountNumber: EVEN,
          period,
          usage: {
            volume: 20 + i,
            unit: 'm3',
            registers: { total: 20 + i },
            estimated: false,
            method: 'actual',
          },
          amountDue: 24600 + 1230 * i,
        }),
      ),
      aBill({ accountNumber: ODD, period: '2026-11' }),
      aBill({ accountNumber: ODD, period: '2026-09' }),
    ]);
  });

  it('gives one point per bill, oldest first, and no zero for the months between bills', async () => {
    // A resident opens the usage chart: two years of a bimonthly account are twelve bills, not 24 months.
    const { deps, limits } = countingLimits(seoul.deps);
    const response = await usage(seoul, EVEN, undefined, { deps });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      accountNumber: EVEN,
      months: 24,
      from: '2025-01',
      intervalMonths: 2,
    });
    const items = response.json.items as Point[];
    expect(items.map((p) => p.period)).toEqual(evenPeriods.slice(5));
    expect(items.map((p) => p.period).filter((period) => Number(period.slice(5)) % 2 === 1)).toEqual([]);
    expect(items.every((p) => p.volume > 0)).toBe(true);
    expect(items.at(-1)).toMatchObject({
      period: '2026-12',
      usagePeriod: { from: '2026-09-05', to: '2026-12-04' },
      volume: 36,
      registers: { total: 36 },
      unit: 'm3',
      estimated: false,
      method: 'actual',
      currency: 'KRW',
      amountDue: 44280,
      amountDueText: '₩44,280',
    });
    // 24 months at one bill every two months: the query asks for twelve bills and no more.
    expect(limits).toEqual([12]);
  });

  it('reads fewer bills for a shorter window, and the odd-month account shows its own months', async () => {
    const { deps, limits } = countingLimits(seoul.deps);
    const six = await usage(seoul, EVEN, { months: '6' }, { deps });
    expect((six.json.items as Point[]).map((p) => p.period)).toEqual(['2026-08', '2026-10', '2026-12']);
    const odd = await usage(seoul, ODD, { months: '3' }, { deps });
    expect((odd.json.items as Point[]).map((p) => p.period)).toEqual(['2026-11']);
    // One month back from December: the odd-month account has no bill in it.
    const one = await usage(seoul, ODD, { months: '1' }, { deps });
    expect(one.json.items).toEqual([]);
    expect(limits).toEqual([3, 2, 1]);
  });

  it('refuses a months outside 1..36 or not a whole number with 400 problem+json', async () => {
    for (const months of ['0', '37', 'two', '2.5', '']) {
      const response = await usage(seoul, EVEN, { months });
      expect([response.status, response.json.type], months).toEqual([400, problemType('validation-error')]);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json.errors).toMatchObject([{ field: 'query.months' }]);
    }
    const most = await usage(seoul, EVEN, { months: '36' });
    // 36 months back from December 2026 reach January 2024: all 17 bills, from 2024-04.
    expect((most.json.items as Point[]).map((p) => p.period)).toEqual(evenPeriods);
  });

  it('needs the bill-lookup token of the account itself', async () => {
    const none = await usage(seoul, EVEN, undefined, { token: null });
    expect([none.status, none.json.type]).toEqual([401, problemType('unauthenticated')]);
    const other = await usage(seoul, EVEN, undefined, { token: tokenFor(seoul, ODD) });
    expect([other.status, other.json.type]).toEqual([403, problemType('forbidden-account')]);
  });
});

describe('usage history in Tyumen, billed monthly', () => {
  let tyumen: TestWorld;
  const ACCOUNT = '1200100000';

  beforeAll(async () => {
    // 2026-12-01 in Tyumen: the November bill is the newest; two of the months were estimated from the average.
    tyumen = await testWorld('tyumen-power', new Date('2026-12-01T05:00:00Z'));
    await tyumen.deps.accounts.putMany([
      anAccount({
        accountNumber: ACCOUNT,
        district: tyumen.deps.config.districts[0]?.code as string,
        meters: [{ id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
        phones: ['+79127109155'],
      }),
    ]);
    await tyumen.deps.bills.putMany(
      Array.from({ length: 24 }, (_, i) => {
        const period = addMonths('2024-12', i);
        const estimated = period === '2026-06' || period === '2026-07';
        return aBill({
          accountNumber: ACCOUNT,
          period,
          currency: 'RUB',
          usage: {
            volume: 300,
            unit: 'kWh',
            registers: { day: 200, night: 100 },
            estimated,
            method: estimated ? 'average' : period === '2026-08' ? 'reconciled' : 'actual',
          },
          amountDue: 165200,
        });
      }),
    );
  });

  it('gives every month of the window with day and night volumes and how each was got', async () => {
    const { deps, limits } = countingLimits(tyumen.deps);
    const response = await usage(tyumen, ACCOUNT, { months: '12' }, { deps });
    const items = response.json.items as Point[];
    // Twelve months back from December 2026 start in January; the December bill is not made yet.
    expect(response.json).toMatchObject({ from: '2026-01', intervalMonths: 1 });
    expect(items.map((p) => p.period)).toEqual(Array.from({ length: 11 }, (_, i) => addMonths('2026-01', i)));
    expect(items.map((p) => p.method).slice(4, 8)).toEqual(['actual', 'average', 'average', 'reconciled']);
    expect(items[0]).toMatchObject({
      volume: 300,
      registers: { day: 200, night: 100 },
      unit: 'kWh',
      currency: 'RUB',
      amountDue: 165200,
      amountDueText: expect.stringMatching(/^1\s652,00\s₽$/),
    });
    expect(limits).toEqual([12]);
  });
});
