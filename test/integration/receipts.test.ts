import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '#domain/token';
import { route as receiptRoute } from '#handlers/http/get-receipt';
import { aBill, anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';
import { pdfText } from '#test/support/pdf-text';

const ACCOUNT = '123456789';
const OTHER = '223456789';
const HOSTILE = '323456789';

function tokenFor(world: TestWorld, accountNumber: string) {
  const exp = Math.floor(world.clock.now().getTime() / 1000) + 900;
  return issueToken(
    { sub: accountNumber, aud: world.deps.config.id, scope: 'account', iat: exp - 900, exp },
    world.deps.keys.token,
  );
}

function receipt(
  world: TestWorld,
  account: string,
  period: string,
  options: { accept?: string; token?: string | null } = {},
) {
  const token = options.token === undefined ? tokenFor(world, account) : options.token;
  return call(receiptRoute, world.deps, {
    method: 'GET',
    path: `/accounts/${account}/bills/${period}/receipt`,
    routePath: '/accounts/{accountNumber}/bills/{period}/receipt',
    pathParameters: { accountNumber: account, period },
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.accept ? { accept: options.accept } : {}),
    },
  });
}

describe('a Seoul water receipt', () => {
  let seoul: TestWorld;

  beforeAll(async () => {
    // 2026-12-01 in Seoul: the October bill (due 2026-10-31) was paid in part, the November one not at all.
    seoul = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    await seoul.deps.accounts.putMany([
      anAccount({ accountNumber: ACCOUNT, households: 3, paymentMethod: 'giro' }),
      anAccount({ accountNumber: OTHER, phones: ['+821011112222'] }),
      anAccount({
        accountNumber: HOSTILE,
        holderName: '<script>alert(1)</script>',
        address: 'Apt 5 <img src=x onerror="alert(1)"> & Co',
        phones: ['+821033334444'],
      }),
    ]);
    await seoul.deps.bills.putMany([
      aBill({
        accountNumber: ACCOUNT,
        period: '2026-10',
        usagePeriod: { from: '2026-08-05', to: '2026-10-04' },
        usage: { volume: 20, unit: 'm3', registers: { total: 20 }, estimated: false, method: 'actual' },
        meterReadings: [
          {
            meterId: 'WM-1',
            register: 'total',
            previous: { value: 1180, date: '2026-08-04', kind: 'actual' },
            current: { value: 1200, date: '2026-10-04', kind: 'actual' },
            volume: 20,
          },
        ],
        reductions: [{ code: 'e-billing', label: '전자고지 감면', amount: 200 }],
        arrears: 5000,
        lateFee: 150,
        amountDue: 29550,
        dueDate: '2026-10-31',
        issuedAt: '2026-10-12',
        payments: [
          {
            paidAt: '2026-10-20T10:00:00+09:00',
            amount: 20000,
            method: 'virtual-account',
            reference: 'WR-77812',
          },
        ],
      }),
      aBill({ accountNumber: ACCOUNT, period: '2026-11', amountDue: 24600, dueDate: '2026-12-20' }),
      aBill({
        accountNumber: ACCOUNT,
        period: '2026-08',
        status: 'paid',
        payments: [{ paidAt: '2026-08-25T09:00:00+09:00', amount: 24600, method: 'giro', reference: 'G-1' }],
      }),
      aBill({
        accountNumber: HOSTILE,
        period: '2026-11',
        charges: [{ code: 'water', label: '<b>상수도</b>', volume: 20, rate: 1230, amount: 24600 }],
      }),
    ]);
  });

  it('answers JSON by default: every fact of the bill and its payments, in Korean, with amounts written out', async () => {
    // A resident asks for the receipt of a bill she paid only in part, for three households on one meter.
    const response = await receipt(seoul, ACCOUNT, '2026-10');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers.vary).toBe('Accept');
    expect(response.json).toMatchObject({
      language: 'ko',
      currency: 'KRW',
      title: '수도요금 영수증',
      utility: { name: '서울특별시 상수도사업본부', contactPhone: '120' },
      accountNumber: ACCOUNT,
      holderName: '김*수',
      address: '서울특별시 세종대로 110',
      period: '2026-10',
      periodText: '2026년 10월',
      issued: { date: '2026-10-12', text: '2026년 10월 12일' },
      usagePeriod: { from: '2026-08-05', to: '2026-10-04', text: '2026.08.05 ~ 2026.10.04' },
      usage: { volume: 20, unit: 'm3', estimated: false, method: 'actual', text: '20㎥' },
      meterReadings: [
        {
          meterId: 'WM-1',
          register: 'total',
          previous: { value: 1180, date: '2026-08-04', kind: 'actual' },
          current: { value: 1200, date: '2026-10-04', kind: 'actual' },
          volume: 20,
        },
      ],
      reductions: [{ code: 'e-billing', label: '전자고지 감면', amount: { amount: 200, text: '200원' } }],
      arrears: { amount: 5000, text: '5,000원' },
      lateFee: { amount: 150, text: '150원' },
      amountDue: { amount: 29550, text: '29,550원' },
      dueDate: { date: '2026-10-31', text: '2026년 10월 31일' },
      payments: [
        {
          paidAt: '2026-10-20T10:00:00+09:00',
          paidAtText: '2026년 10월 20일',
          method: 'virtual-account',
          methodText: '가상계좌',
          reference: 'WR-77812',
          amount: { amount: 20000, text: '20,000원' },
        },
      ],
      amountPaid: { amount: 20000, text: '20,000원' },
      outstanding: { amount: 9550, text: '9,550원' },
      status: 'overdue',
      statusText: '연체',
      virtualAccount: { bank: '우리은행', number: '512345678901234' },
      households: 3,
      // 29,550 / 3 = 9,850 won each.
      sharePerHousehold: { amount: 9850, text: '9,850원' },
    });
    // Partly paid is not paid: the receipt says it is a statement.
    expect(response.json.statement).toContain('납부 영수증이 아닙니다');
    expect(
      (response.json.charges as Array<{ code: string; amount: { text: string } }>).map((c) => c.code),
    ).toEqual(['water', 'sewage', 'water-use-levy']);
  });

  it('is a receipt, not a statement, once the bill is paid', async () => {
    const response = await receipt(seoul, ACCOUNT, '2026-08', { accept: 'application/json' });
    expect(response.json).toMatchObject({ status: 'paid', statusText: '납부 완료', statement: null });
    expect(response.json.meterReadings).toEqual([]);
  });

  it('prints a self-contained HTML page for a browser: inline style, print rules, Korean, no scripts, a strict CSP', async () => {
    // A resident opens the receipt in a browser to print it.
    const response = await receipt(seoul, ACCOUNT, '2026-11', {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const html = response.raw.toString('utf8');
    // The CSP allows nothing but the page's one style element, by the hash of its text.
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] as string)
      .digest('base64');
    expect(response.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="ko">/);
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|<img|src=|href=/i);
    expect(html).toContain('수도요금 영수증');
    expect(html).toContain('24,600원');
    // The November bill is not paid yet: the page says so.
    expect(html).toContain('<p class="statement">납부되지 않은 요금의 청구 내역서입니다');
    expect(html).toContain('<dt>상태</dt><dd>미납</dd>');
  });

  it('escapes what the account and the bill say, so a name or an address cannot put markup on the page', async () => {
    // An account was imported with markup in its holder name, address and a charge label.
    const response = await receipt(seoul, HOSTILE, '2026-11', { accept: 'text/html' });
    const html = response.raw.toString('utf8');
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('<dd>&lt;***********************&gt;</dd>');
    expect(html).toContain('Apt 5 &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co');
    expect(html).toContain('&lt;b&gt;상수도&lt;/b&gt;');
  });

  it('makes a PDF with the Korean text and the amounts in it', async () => {
    // A resident downloads the receipt to send it to her landlord.
    const response = await receipt(seoul, ACCOUNT, '2026-10', { accept: 'application/pdf' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`inline; filename="receipt-${ACCOUNT}-2026-10.pdf"`);
    expect(response.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(response.raw);
    expect(text).toContain('수도요금 영수증');
    expect(text).toContain('29,550원');
    expect(text).toContain('WR-77812');
    expect(text).toContain('9,850원');
    expect(text).toContain('연체');
  });

  it('answers 406 problem+json for a type it cannot give, and for a client that refuses all three', async () => {
    for (const accept of [
      'image/png',
      'text/plain',
      'application/pdf;q=0, text/html;q=0, application/json;q=0',
    ]) {
      const response = await receipt(seoul, ACCOUNT, '2026-10', { accept });
      expect([response.status, response.json.type], accept).toEqual([406, problemType('not-acceptable')]);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json.offered).toEqual(['application/json', 'text/html', 'application/pdf']);
    }
  });

  it('answers 404 for a period without a bill and 400 for a malformed period', async () => {
    const missing = await receipt(seoul, ACCOUNT, '2026-09', { accept: 'application/pdf' });
    expect([missing.status, missing.json.type]).toEqual([404, problemType('bill-not-found')]);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    const malformed = await receipt(seoul, ACCOUNT, '2026-13');
    expect(malformed.json.errors).toEqual([{ field: 'path.period', message: 'a month as YYYY-MM' }]);
  });

  it('needs the bill-lookup token of the account itself, whatever the format', async () => {
    const none = await receipt(seoul, ACCOUNT, '2026-10', { token: null, accept: 'application/pdf' });
    expect([none.status, none.json.type]).toEqual([401, problemType('unauthenticated')]);
    const otherToken = await receipt(seoul, ACCOUNT, '2026-10', { token: tokenFor(seoul, OTHER) });
    expect([otherToken.status, otherToken.json.type]).toEqual([403, problemType('forbidden-account')]);
    const otherPath = await receipt(seoul, OTHER, '2026-11', {
      token: tokenFor(seoul, ACCOUNT),
      accept: 'text/html',
    });
    expect(otherPath.status).toBe(403);
  });
});

describe('a Tyumen electricity receipt', () => {
  let tyumen: TestWorld;
  const TYUMEN = '1200100000';

  beforeAll(async () => {
    tyumen = await testWorld('tyumen-power', new Date('2026-12-01T05:00:00Z'));
    await tyumen.deps.accounts.putMany([
      anAccount({
        accountNumber: TYUMEN,
        holderName: 'Иванов Иван',
        address: 'г. Тюмень, ул. Республики, 1, кв. 5',
        district: tyumen.deps.config.districts[0]?.code as string,
        virtualAccount: undefined,
        meters: [{ id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
        phones: ['+79127109155'],
      }),
    ]);
    await tyumen.deps.bills.putMany([
      aBill({
        accountNumber: TYUMEN,
        period: '2026-11',
        currency: 'RUB',
        usagePeriod: { from: '2026-10-01', to: '2026-10-31' },
        usage: {
          volume: 300,
          unit: 'kWh',
          registers: { day: 200, night: 100 },
          estimated: true,
          method: 'average',
        },
        charges: [
          { code: 'day', label: 'День', volume: 200, rate: 6.51, amount: 130200 },
          { code: 'night', label: 'Ночь', volume: 100, rate: 3.5, amount: 35000 },
        ],
        amountDue: 165200,
        dueDate: '2026-12-10',
        issuedAt: '2026-11-01',
      }),
    ]);
  });

  it('is in Russian, and the PDF writes the rouble as руб. since the font has no ₽', async () => {
    // A Tyumen resident prints the receipt of an estimated bill.
    const json = await receipt(tyumen, TYUMEN, '2026-11');
    expect(json.json).toMatchObject({
      language: 'ru',
      title: 'Квитанция за электроэнергию',
      holderName: 'И****в И**н',
      periodText: 'ноябрь 2026',
      usage: { method: 'average', text: '300 кВт·ч (день 200, ночь 100) (расчётный)' },
      amountDue: { amount: 165200, text: '1 652,00 ₽' },
      statusText: 'не оплачено',
      virtualAccount: null,
      sharePerHousehold: null,
    });
    const pdf = await receipt(tyumen, TYUMEN, '2026-11', { accept: 'application/pdf' });
    const text = pdfText(pdf.raw);
    expect(text).toContain('Квитанция за электроэнергию');
    expect(text).toContain('1 652,00 руб.');
    expect(text).not.toContain('₽');
    expect(text).not.toContain('\uFFFD');
    expect(text).toContain('по среднему');
  });
});
