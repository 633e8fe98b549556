import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalSession, seriousViolations, startPortal } from '#test/support/browser';
import {
  accessibilityProblems,
  accountToken,
  codeTextedTo,
  fileComplaintInPortal,
  openPortal,
  pageLanguage,
  signInWithCode,
  tokenInPage,
} from './citizen-steps.ts';

const PHOTO = new URL('../fixtures/photos/leak-with-gps.jpg', import.meta.url).pathname;

let session: PortalSession;
let accounts: ReturnType<PortalSession['runtime']['demo']>['accounts'];

beforeAll(async () => {
  // 10:00 on 16 December in Seoul: the reading window (15th-25th) is open.
  session = await startPortal({ utility: 'seoul-water', now: '2026-12-16T10:00', demoAccounts: 8 });
  accounts = session.runtime.demo().accounts;
}, 120_000);
afterAll(async () => session?.stop());

function demoAccount(i: number) {
  const account = accounts[i];
  if (!account) throw new Error(`no demo account ${i}`);
  return account;
}

describe('the citizen portal in Seoul', () => {
  it('signs a registered phone up for bill notices by KakaoTalk, with the code texted to it', async () => {
    // A resident signs up on the web in English and picks KakaoTalk, offered first, with the keyboard: the consent
    // of the current version, the code from the SMS, done; the account's new subscription is a messenger one.
    const account = demoAccount(0);
    const page = await session.newPage();
    await openPortal(page, session.url, '/sign-up', 'en');
    await page.getByLabel('Account number').fill(account.accountNumber);
    await page.getByLabel('Mobile phone').fill(account.phone);
    const channels = page.getByRole('group', { name: 'How should the notices come?' });
    await expect(channels.locator('label').allTextContents()).resolves.toEqual([
      'KakaoTalk',
      'Text message (SMS)',
    ]);
    expect(await channels.getByLabel('KakaoTalk').isChecked()).toBe(true);
    await expect(channels.textContent()).resolves.toContain(
      'If KakaoTalk cannot reach your phone, the notice comes by text message instead.',
    );
    await channels.getByLabel('Text message (SMS)').check();
    await channels.getByLabel('Text message (SMS)').press('ArrowUp');
    expect(await channels.getByLabel('KakaoTalk').isChecked()).toBe(true);
    await expect(page.locator('.consent-text').textContent()).resolves.toContain('Seoul Waterworks');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.locator('.field-error').textContent()).resolves.toContain('agree');
    await page.getByLabel('I agree').check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    const code = await codeTextedTo(session, account.phone);
    await page.getByLabel('Code from the text message').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Done' }).textContent()).resolves.toContain(
      'receive the bill notices by KakaoTalk, or by text message when it cannot get them',
    );
    const { token } = await accountToken(session, account);
    const listed = (await (
      await fetch(`${session.url}/accounts/${account.accountNumber}/subscriptions`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: Array<{ channel: string; status: string }> };
    expect(listed.items[0]).toMatchObject({ channel: 'messenger', status: 'active' });
  }, 60_000);

  it('follows a language switch everywhere: texts, the utility name, <html lang> and the title', async () => {
    // A resident whose browser speaks Korean switches to English; a landline then gets a clear English message.
    const page = await session.newPage({ locale: 'ko-KR' });
    await openPortal(page, session.url, '/sign-up');
    expect(await pageLanguage(page)).toBe('ko');
    await page.getByRole('heading', { name: '요금 알림 신청' }).waitFor();
    await expect(page.getByRole('group', { name: '알림 받을 방법' }).textContent()).resolves.toContain(
      '카카오톡 알림톡',
    );
    await page.getByLabel('언어').selectOption('en');
    await page.getByRole('heading', { name: 'Bill notices' }).waitFor();
    expect(await pageLanguage(page)).toBe('en');
    await page.locator('.site-name', { hasText: 'Seoul' }).waitFor();
    expect(await page.title()).toMatch(/^Bill notices · Seoul/);
    await page.getByLabel('Account number').fill(demoAccount(0).accountNumber);
    await page.getByLabel('Mobile phone').fill('02-120-0000');
    await page.getByLabel('I agree').check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Enter a mobile phone number.');
  }, 60_000);

  it('shows the bills after a one-time code, one bill with its breakdown, and its receipt to print and as a PDF', async () => {
    // A resident signs in with the code texted to them, opens the newest bill, prints the receipt, saves the PDF.
    const account = demoAccount(1);
    const page = await session.newPage({ locale: 'ko-KR' });
    await openPortal(page, session.url, '/bills');
    expect(await pageLanguage(page)).toBe('ko');
    await signInWithCode(page, session, account);
    const rows = page.locator('table.bills tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(1);
    await expect(page.locator('svg.chart rect.bar').count()).resolves.toBeGreaterThan(1);
    await rows.first().locator('a').click();
    await page.getByRole('heading', { name: '세부 내역' }).waitFor();
    expect(await page.title()).toContain('요금');
    await expect(page.locator('tfoot').textContent()).resolves.toContain('청구 금액');
    await page.getByRole('link', { name: '영수증 (인쇄용)' }).click();
    await page.locator('article.receipt').waitFor();
    await expect(page.locator('#receipt-title').textContent()).resolves.toContain('영수증');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('article.receipt').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'PDF 내려받기' }).click(),
    ]);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  }, 60_000);

  it('records a reading inside the window and refuses one below the previous with the SMS rule', async () => {
    // In the window a reading above the last one is recorded; one below it is refused with the rule's message.
    const account = demoAccount(0);
    const page = await session.newPage();
    await openPortal(page, session.url, '/reading', 'en');
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
    const meter = account.meters[0];
    if (!meter) throw new Error('no meter');
    // The last reading billed is the one a new reading must not go below.
    const previous = Object.fromEntries(bill.meterReadings.map((r) => [r.register, r.current.value]));
    const form = page.locator('main form').first();
    const fields = form.locator('input[inputmode="numeric"]');
    for (const [i, register] of meter.registers.entries())
      await fields.nth(i).fill(String((previous[register] ?? 0) + 12));
    await form.getByRole('button', { name: 'Send the reading' }).click();
    await form.locator('[role="status"], [role="alert"]').first().waitFor();
    expect(await form.locator('[role="status"], [role="alert"]').first().textContent()).toContain(
      'Reading recorded',
    );

    for (const [i, register] of meter.registers.entries())
      await fields.nth(i).fill(String(Math.max((previous[register] ?? 1) - 1, 0)));
    await form.getByRole('button', { name: 'Send the reading' }).click();
    const refusal = (await form.getByRole('alert').textContent()) ?? '';
    expect(refusal).toMatch(/below|previous|lower|less/i);
  }, 60_000);

  it('files a leak with a photo and tracks it by its code', async () => {
    // A resident reports a leak by address and a pin on the map, adds a photo, and follows it with the code.
    const page = await session.newPage();
    await openPortal(page, session.url, '/report', 'en');
    const code = await fileComplaintInPortal(page, session.url, {
      type: 'leak',
      description: 'Water running across the pavement',
      address: '서울특별시 종로구 세종대로 175',
      mapAt: { x: 0.5, y: 0.5 },
      photo: PHOTO,
    });
    await page.getByRole('link', { name: 'Follow this report' }).click();
    await page.locator('.complaint-status').waitFor();
    await expect(page.locator('.complaint-status').textContent()).resolves.toBe('Received');
    await expect(page.locator('.history li').count()).resolves.toBeGreaterThan(0);
    for (
      let attempt = 0;
      attempt < 20 && (await page.locator('.photo-count').textContent()) !== '1';
      attempt++
    ) {
      await page.reload();
      await page.locator('.photo-count').waitFor();
    }
    expect(await page.locator('.photo-count').textContent()).toBe('1');
    expect(page.url()).toContain(code);
  }, 60_000);

  it('shows the open leak reported at the same spot before filing another, and files it when asked', async () => {
    // A neighbour reports the same leak: the page shows the open report nearby and files theirs only on request.
    const page = await session.newPage();
    await openPortal(page, session.url, '/report', 'en');
    const first = await fileComplaintInPortal(page, session.url, {
      type: 'leak',
      description: 'Water coming up between the paving stones',
      mapAt: { x: 0.3, y: 0.6 },
    });
    await page.getByRole('button', { name: 'Report another problem' }).click();
    await page.getByLabel('Type of problem (required)').selectOption('leak');
    await page.getByLabel('Where is the leak? (required)').selectOption({ index: 1 });
    const map = page.getByRole('application');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    await map.click({ position: { x: box.width * 0.3, y: box.height * 0.6 } });
    // The pin moves with the keyboard too: one step north and back.
    const latitude = page.getByLabel('Latitude');
    const placed = await latitude.inputValue();
    await map.press('ArrowUp');
    expect(Number(await latitude.inputValue())).toBeGreaterThan(Number(placed));
    await map.press('ArrowDown');
    await page.getByLabel('What happened? (required)').fill('The same leak, still running');
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByRole('heading', { name: 'Similar reports are already open nearby' }).waitFor();
    await expect(page.locator('.duplicates').textContent()).resolves.toContain(first);
    await page.getByRole('button', { name: 'File it anyway' }).click();
    const second = (await page.locator('.tracking-code-large').textContent())?.trim();
    expect(second).toMatch(/^[0-9A-Z]{8}$/);
    expect(second).not.toBe(first);
  }, 60_000);

  it('has no serious accessibility problem on any page, in Korean and English, on a desktop and a phone', async () => {
    // Every page, signed in where it needs it, in each language Seoul writes in, wide and at 360 px.
    const signedIn = await accountToken(session, demoAccount(1));
    const problems = await accessibilityProblems(session, {
      languages: ['ko', 'en'],
      signedIn,
      complaintType: 'water-quality',
      tracked: { type: 'leak', attributes: { where: 'outdoors' } },
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it('tells a resident reporting a leak indoors that its place stays private, and never shows their address', async () => {
    // Water comes through a flat's ceiling: leaks are public, but this one is a home, and the resident is told so
    // before sending, at the question itself; anyone with the code later sees its status, not where it is.
    const address = '서울특별시 종로구 자하문로 1, 302호';
    const page = await session.newPage();
    await openPortal(page, session.url, '/report', 'en');
    await page.getByLabel('Type of problem (required)').selectOption('leak');
    const where = page.getByLabel('Where is the leak? (required)');
    const note = 'not shown publicly';
    await where.selectOption('outdoors');
    await expect(page.locator('main').textContent()).resolves.not.toContain(note);
    await where.selectOption('indoors');
    // Shown as the question's hint, which the list is described by, and announced in a live region.
    await expect(
      where.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent()),
    ).resolves.toContain(note);
    await expect(page.getByRole('status').filter({ hasText: note }).count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Address', { exact: true }).fill(address);
    await page
      .getByLabel('What happened? (required)')
      .fill('Water is dripping through the ceiling of flat 302');
    await page.getByRole('button', { name: 'Send the report' }).click();
    const code = (await page.locator('.tracking-code-large').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    expect((await session.runtime.deps.complaints.getByTrackingCode(code))?.address).toBe(address);

    await page.getByRole('link', { name: 'Follow this report' }).click();
    await page.locator('.complaint-status').waitFor();
    await expect(page.locator('.complaint-status').textContent()).resolves.toBe('Received');
    const shown = (await page.locator('main').textContent()) ?? '';
    expect(shown).toContain(code);
    expect(shown).not.toContain('자하문로');
    await expect(page.locator('.facts dt').allTextContents()).resolves.not.toContain('Place');
  }, 60_000);
});
