// The staff console for Seoul water, in Korean and English, driven in Chromium against the local runtime: a
// complaint worked from the queue, an announcement that reaches a district's subscribers, a counter payment, and
// every page accessible at desktop and phone width.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, type PortalSession, startPortal } from '#test/support/browser';
import { fixturePath } from '../fixtures/photos/make-fixtures.ts';
import {
  addPhoto,
  auditConsole,
  composeAnnouncement,
  consolePage,
  enterPayment,
  fileComplaint,
  goTo,
  moveComplaint,
  openComplaint,
  signInLocally,
  subscribeVerified,
} from './console-steps.ts';

let session: PortalSession;
let leak: { id: string; trackingCode: string };

beforeAll(async () => {
  // 10:00 on a Tuesday in Seoul: outside the quiet hours, so announcements go at once.
  session = await startPortal({ utility: 'seoul-water', now: '2026-12-01T10:00', demoAccounts: 12 });
  leak = await fileComplaint(session.url, {
    type: 'leak',
    description: '종로구청 앞 보도에서 물이 솟아 나옵니다.',
    districtCode: '11110',
    location: { lat: 37.5735, long: 126.979 },
    attributes: { where: 'outdoors', amount: 'gush' },
    phone: '+821055550101',
    contactConsent: true,
  });
  await addPhoto(session.url, leak.id, readFileSync(fixturePath('leak-with-gps.jpg')));
}, 180_000);
afterAll(async () => session?.stop());

/** A demo account's unpaid bill: its account, period and what is still owed (won). */
async function unpaidBill() {
  for (const account of session.runtime.demo().accounts) {
    const bills = await session.runtime.deps.bills.list(account.accountNumber, { limit: 6 });
    const bill = bills.items.find((b) => b.status !== 'paid' && b.period <= '2026-12');
    if (bill) {
      const paid = bill.payments.reduce((total, p) => total + p.amount, 0);
      return { accountNumber: account.accountNumber, period: bill.period, owed: bill.amountDue - paid };
    }
  }
  throw new Error('the demo has an unpaid bill');
}

describe('the staff console in Seoul', () => {
  it('a clerk finds a new leak in the district queue, assigns it with a note, and the history shows the move', async () => {
    // A resident reported a gushing leak in Jongno; the district office takes it on.
    const page = await consolePage(session, { locale: 'ko-KR' });
    await signInLocally(page, session.url, 'staff', ['11110']);
    const row = page.locator('table.queue tbody tr', { hasText: leak.trackingCode });
    await row.waitFor();
    expect(await row.locator('td').first().innerText()).toBe('누수 신고');
    // Filed just now with a day to go: not past due.
    expect(await row.getAttribute('class')).toBeNull();
    expect(await row.locator('.badge-bad').count()).toBe(0);
    await row.locator('a').click();
    await page.locator('main .history').waitFor();
    expect(await page.locator('main h1').innerText()).toContain(leak.trackingCode);
    expect(await page.locator('main .facts').innerText()).toContain('+821055550101');
    // The photo is shown from its short-lived link (the page's CSP allows it).
    await page.locator('main .photos button').click();
    const photo = page.locator('main img.photo');
    await photo.waitFor();
    expect(await photo.getAttribute('alt')).toBe(`민원 ${leak.trackingCode}의 사진 1`);
    await expect
      .poll(() => page.evaluate(`document.querySelector('main img.photo').naturalWidth`))
      .toBeGreaterThan(0);

    await moveComplaint(page, 'assigned', '현장 점검반 배정, 오늘 14시 방문');
    const history = await page.locator('main .history').innerText();
    expect(history).toContain('접수에서 배정(으)로 변경');
    expect(history).toContain('현장 점검반 배정, 오늘 14시 방문');
    expect(await page.locator('main [role=status]').first().innerText()).toContain('배정');
    // The reporter agreed to texts: the assignment is texted to them.
    expect((await session.outbox('+821055550101')).length).toBeGreaterThan(0);
  }, 120_000);

  it('a rejection without a reason is stopped at the note, before anything is sent', async () => {
    // A clerk means to reject but forgets to say why; the reporter would be told nothing useful.
    const other = await fileComplaint(session.url, {
      type: 'plumbing-works',
      description: 'Road not restored after the works on Sejong-daero.',
      districtCode: '11110',
      // Noticed at 07:30 Seoul time, which is 22:30 the evening before in UTC.
      attributes: { issue: 'road-not-restored', noticed: '2026-12-15T22:30:00Z' },
    });
    const page = await consolePage(session, { locale: 'en-US' });
    await signInLocally(page, session.url, 'admin');
    await openComplaint(page, other.trackingCode);
    // The console is in English, so the type is named in English too, not in the utility's Korean.
    expect(await page.locator('main .facts dd').first().innerText()).toBe('Water works');
    // The answer's time on Seoul's clock, the day the resident wrote, whatever the browser's zone.
    const noticed = page.locator('main .facts dt', { hasText: 'When did you notice it?' });
    expect(await noticed.locator('xpath=following-sibling::dd[1]').innerText()).toMatch(/Dec 16, 2026.*7:30/);
    const form = page.locator('section[aria-labelledby=move-title] form');
    await form.locator('select').selectOption('rejected');
    await form.locator('button[type=submit]').click();
    expect(await form.locator('.field-error').innerText()).toBe('A rejection needs its reason.');
    expect(await form.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('main h1 .badge').first().innerText()).toBe('Received');
  }, 120_000);

  it('an announcement composed in the console reaches the verified subscribers of its district', async () => {
    // Water will be off in one district tomorrow; its subscribers must hear of it today.
    const [account] = session.runtime.demo().accounts;
    if (!account) throw new Error('the demo has accounts');
    await subscribeVerified(session.url, account, 'ko', (to) => session.outbox(to));
    const district = (await session.runtime.deps.accounts.get(account.accountNumber))?.district ?? '';
    const page = await consolePage(session, { locale: 'ko-KR' });
    await signInLocally(page, session.url, 'admin');
    const parts = await composeAnnouncement(page, {
      districts: [district],
      kind: 'outage',
      texts: {
        ko: '12월 2일 10시부터 14시까지 배수관 공사로 단수됩니다.',
        en: 'Water off on 2 December, 10:00-14:00.',
      },
    });
    expect(parts.ko).toBeGreaterThanOrEqual(1);
    expect(parts.en).toBeGreaterThanOrEqual(1);

    let received: Array<{ body: string }> = [];
    for (let attempt = 0; attempt < 50 && received.length === 0; attempt++) {
      received = (await session.outbox(account.phone)).filter((m) => m.body.includes('배수관 공사'));
      if (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(received).toHaveLength(1);
  }, 120_000);

  it('a Korean text with a character Korean phones lack is explained in Korean, in the preview and at the field', async () => {
    // A clerk in the Korean console adds a smiley to a notice; EUC-KR has no byte for it, so it cannot go by SMS.
    const page = await consolePage(session, { locale: 'ko-KR' });
    await signInLocally(page, session.url, 'admin');
    await goTo(page, '/announcements/new');
    const form = page.locator('main form');
    await form.locator('input[name=district][value="11110"]').check();
    await form.locator('textarea[lang=ko]').fill('오늘 오후 수도 점검이 있습니다 😀');
    await form.locator('textarea[lang=en]').fill('Water check this afternoon.');
    const sentence = '한국 휴대폰에서 "😀" 문자를 표시할 수 없습니다. 지우거나 다른 문자로 바꾸세요.';
    const problems = page.locator('.preview .card[lang=ko] ul.field-error');
    await problems.waitFor();
    expect(await problems.innerText()).toBe(sentence);
    expect(await problems.getAttribute('lang')).toBe('ko');

    // Sent anyway, the API refuses it, and the same sentence stands at the Korean text.
    await form.locator('button[type=submit]').click();
    const atField = form.locator('.field:has(textarea[lang=ko]) .field-error');
    await atField.waitFor();
    expect(await atField.innerText()).toBe(sentence);
    expect(await form.locator('textarea[lang=ko]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('main [role=alert]').first().innerText()).toContain(
      '작성한 문구로는 발송할 수 없습니다.',
    );
  }, 120_000);

  it('a payment taken at the counter is recorded on the bill, and too much is refused at the amount', async () => {
    // A resident pays the rest of a bill in cash; a second slip for the same bill would overpay it.
    const bill = await unpaidBill();
    const page = await consolePage(session, { locale: 'en-US' });
    await signInLocally(page, session.url, 'admin');
    await enterPayment(page, {
      accountNumber: bill.accountNumber,
      period: bill.period,
      amount: String(bill.owed),
      paidAt: '2026-12-01T09:30',
      method: 'cash',
      reference: 'COUNTER-0001',
    });
    expect(await page.locator('main [role=status]').innerText()).toContain('paid');

    await page.locator('main form input').nth(4).fill('COUNTER-0002');
    await page.locator('main form button[type=submit]').click();
    const amountError = page.locator('main .field-invalid .field-error');
    await amountError.waitFor();
    expect(await amountError.innerText()).toBe('More than is still owed on this bill.');
  }, 120_000);

  it('has no serious accessibility violation on any page, in Korean and English, at desktop and phone width', async () => {
    // Staff work from a desk and from a phone in the field, in either language.
    const found: Array<{ where: string; problem: unknown }> = [];
    for (const locale of ['ko-KR', 'en-US']) {
      for (const viewport of [DESKTOP, PHONE])
        found.push(...(await auditConsole(session, locale, viewport, leak.id)));
    }
    expect(found).toEqual([]);
  }, 300_000);

  it('a complaint left past its due time is marked past due in the queue, in words and by its row', async () => {
    // A leak (24 hours to resolve) sits unassigned until the next morning; a works complaint (48 hours) does not yet.
    const late = await fileComplaint(session.url, {
      type: 'leak',
      description: '세종대로 맨홀 주변 누수',
      districtCode: '11110',
      attributes: { where: 'outdoors' },
    });
    const move = await fetch(`${session.url}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2026-12-02T11:00:00+09:00' }),
    });
    expect(move.status).toBe(200);
    const page = await consolePage(session, { locale: 'en-US' });
    await signInLocally(page, session.url, 'admin');
    const lateRow = page.locator('table.queue tbody tr', { hasText: late.trackingCode });
    await lateRow.waitFor();
    expect(await lateRow.getAttribute('class')).toBe('breach');
    expect(await lateRow.locator('.badge-bad').innerText()).toBe('Past due');
    const onTime = page.locator('table.queue tbody tr', { hasText: 'Sejong-daero' });
    expect(await onTime.locator('.badge-bad').count()).toBe(0);
  }, 120_000);
});
