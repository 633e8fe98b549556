import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalSession, startPortal } from '#test/support/browser';
import {
  accessibilityProblems,
  accountToken,
  codeTextedTo,
  fileComplaintInPortal,
  openPortal,
  signInWithCode,
  tokenInPage,
} from './citizen-steps.ts';

const PHOTO = new URL('../fixtures/photos/leak-with-gps.jpg', import.meta.url).pathname;

let session: PortalSession;
let accounts: ReturnType<PortalSession['runtime']['demo']>['accounts'];

beforeAll(async () => {
  // 10:00 on 16 December in Tyumen (Asia/Yekaterinburg): the reading window (15th-25th) is open.
  session = await startPortal({ utility: 'tyumen-power', now: '2026-12-16T10:00', demoAccounts: 8 });
  accounts = session.runtime.demo().accounts;
}, 120_000);
afterAll(async () => session?.stop());

describe('the citizen portal in Tyumen', () => {
  it('signs up for bills by SMS in Russian, with no choice of channel', async () => {
    // A resident whose browser speaks Russian signs up; the page and the consent are in Russian. Tyumen sends
    // notices by SMS only, so the page offers no channel to choose.
    const account = accounts[0];
    if (!account) throw new Error('no demo account');
    const page = await session.newPage({ locale: 'ru-RU' });
    await openPortal(page, session.url, '/sign-up');
    await page.getByLabel('Лицевой счёт').fill(account.accountNumber);
    await page.getByLabel('Мобильный телефон').fill(account.phone);
    expect(await page.locator('main input[type="radio"]').count()).toBe(0);
    expect(await page.getByRole('group').count()).toBe(0);
    await page.getByLabel('Я согласен').check();
    await page.getByRole('button', { name: 'Подписаться' }).click();
    const code = await codeTextedTo(session, account.phone);
    await page.getByLabel('Код из SMS').fill(code);
    await page.getByRole('button', { name: 'Подтвердить' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Готово' });
    await done.waitFor();
    expect(await done.textContent()).toContain('счета будут приходить на этот телефон по SMS');
  }, 60_000);

  it('takes day and night readings of a two-tariff meter, and refuses a night reading below the last one', async () => {
    // Both registers of a two-tariff meter are sent; a night value of 0, below the last one, gets the SMS rule's words.
    const account = accounts.find((a) => a.meters.some((m) => m.registers.length === 2));
    if (!account) throw new Error('no two-tariff demo account');
    const page = await session.newPage({ locale: 'ru-RU' });
    await openPortal(page, session.url, '/reading');
    await signInWithCode(page, session, account);
    await page.locator('.window-open').waitFor();
    const token = await tokenInPage(page);
    const get = async (path: string) =>
      (
        await fetch(`${session.url}/accounts/${account.accountNumber}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();
    const newest = ((await get('/bills?limit=1')) as { items: Array<{ period: string }> }).items[0]?.period;
    const bill = (await get(`/bills/${newest}`)) as {
      meterReadings: Array<{ register: string; current: { value: number } }>;
    };
    const billed = (register: string) =>
      bill.meterReadings.find((r) => r.register === register)?.current.value ?? 0;
    const form = page.locator('main form').first();
    await form.getByLabel('Дневное показание').fill(String(billed('day') + 40));
    await form.getByLabel('Ночное показание').fill(String(billed('night') + 15));
    await form.getByRole('button', { name: 'Передать показания' }).click();
    await form.locator('[role="status"], [role="alert"]').first().waitFor();
    expect(await form.locator('[role="status"], [role="alert"]').first().textContent()).toContain('записаны');

    await form.getByLabel('Ночное показание').fill('0');
    await form.getByRole('button', { name: 'Передать показания' }).click();
    const refusal = (await form.getByRole('alert').textContent()) ?? '';
    expect(refusal).toMatch(/меньше|предыдущ/i);
  }, 60_000);

  it('reports an outage with a photo and shows it on the tracking page', async () => {
    // A resident reports no power in the building, pins it on the map, adds a photo and follows it. Their phone is
    // on Moscow time, two hours behind Tyumen: "since 09:30" means 09:30 in Tyumen all the same.
    const page = await session.newPage({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    await openPortal(page, session.url, '/report');
    const code = await fileComplaintInPortal(page, session.url, {
      type: 'outage',
      description: 'Нет света во всём подъезде',
      mapAt: { x: 0.4, y: 0.5 },
      photo: PHOTO,
    });
    await page.getByRole('link', { name: 'Следить за обращением' }).click();
    await page.locator('.complaint-status').waitFor();
    await expect(page.locator('.complaint-status').textContent()).resolves.toBe('Принято');
    expect(page.url()).toContain(code);
    const filed = await session.runtime.deps.complaints.getByTrackingCode(code);
    expect(filed?.attributes.since).toBe('2026-12-01T04:30:00.000Z');
  }, 60_000);

  it('shows the announcements sent to the district the resident picks, and remembers the district', async () => {
    // Staff announced an outage in the Leninsky district; a resident there sees it, one in Kalininsky does not.
    const staff = await session.staffToken('admin');
    const sent = await fetch(`${session.url}/admin/announcements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify({
        districts: ['tmn-leninsky'],
        kind: 'outage',
        texts: {
          ru: 'Отключение электроэнергии 18 декабря с 10 до 14 часов.',
          en: 'Power off on 18 December.',
        },
      }),
    });
    expect(sent.status).toBe(201);
    const page = await session.newPage({ locale: 'ru-RU' });
    await openPortal(page, session.url, '/');
    await page.getByLabel('Ваш район').selectOption('tmn-leninsky');
    const item = page.locator('.announcements li').filter({ hasText: '18 декабря' });
    await item.waitFor();
    await page.reload();
    await item.waitFor();
    await page.getByLabel('Ваш район').selectOption('tmn-kalininsky');
    await page.getByText('За последние 14 дней объявлений нет.').waitFor();
    expect(await item.count()).toBe(0);
  }, 60_000);

  it('has no serious accessibility problem on any page, in Russian and English, on a desktop and a phone', async () => {
    // Every page, signed in where it needs it, in each language Tyumen writes in, wide and at 360 px.
    const account = accounts[1];
    if (!account) throw new Error('no demo account');
    const problems = await accessibilityProblems(session, {
      languages: ['ru', 'en'],
      signedIn: await accountToken(session, account),
      complaintType: 'reading-dispute',
      tracked: { type: 'outage', attributes: { scope: 'building' } },
    });
    expect(problems).toEqual([]);
  }, 180_000);
});
