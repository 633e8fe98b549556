// The staff console for Tyumen electricity, in Russian and English, driven in Chromium against the local runtime:
// an outage worked and forwarded from a district queue, an announcement to a district's subscribers, a part payment
// in roubles and kopecks, and every page accessible at desktop and phone width.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, type PortalSession, startPortal } from '#test/support/browser';
import {
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
let outage: { id: string; trackingCode: string };

beforeAll(async () => {
  // 11:00 in Tyumen (Yekaterinburg time): outside the quiet hours.
  session = await startPortal({ utility: 'tyumen-power', now: '2026-12-01T11:00', demoAccounts: 12 });
  outage = await fileComplaint(session.url, {
    type: 'outage',
    description: 'Нет света во всём доме с утра.',
    districtCode: 'tmn-central',
    attributes: { scope: 'building' },
  });
}, 180_000);
afterAll(async () => session?.stop());

describe('the staff console in Tyumen', () => {
  it('a district clerk takes an outage into work with a note, then forwards it to the district it belongs to', async () => {
    // The outage was filed under the centre, but the building is served by the Leninsky office.
    const page = await consolePage(session, { locale: 'ru-RU' });
    await signInLocally(page, session.url, 'staff', ['tmn-central']);
    const row = page.locator('table.queue tbody tr', { hasText: outage.trackingCode });
    await row.waitFor();
    await row.locator('a').click();
    await page.locator('main .history').waitFor();

    await moveComplaint(page, 'assigned', 'Бригада выехала');
    expect(await page.locator('main .history').innerText()).toContain('Статус: Получено → Назначено');

    const forward = page.locator('section[aria-labelledby=forward-title] form');
    await forward.locator('select').selectOption('tmn-leninsky');
    await forward.locator('textarea').fill('Дом обслуживает Ленинский участок');
    await forward.locator('button[type=submit]').click();
    await page.locator('main .history li', { hasText: 'Дом обслуживает Ленинский участок' }).waitFor();
    expect(await page.locator('main .history').innerText()).toMatch(/Передано: .+ → .+/);
  }, 120_000);

  it('a second report of the same outage is merged into the first, and each names the other', async () => {
    // A neighbour reports the same dark building an hour later; staff keep one complaint and tell the neighbour.
    const first = await fileComplaint(session.url, {
      type: 'outage',
      description: 'Улица Республики, 10: нет света.',
      districtCode: 'tmn-kalininsky',
      attributes: { scope: 'building' },
    });
    const second = await fileComplaint(session.url, {
      type: 'outage',
      description: 'Республики 10, свет пропал во всём подъезде.',
      districtCode: 'tmn-kalininsky',
      attributes: { scope: 'building' },
    });
    const page = await consolePage(session, { locale: 'en-US' });
    await signInLocally(page, session.url, 'admin');
    await openComplaint(page, second.trackingCode);
    const merge = page.locator('section[aria-labelledby=merge-title] form');
    await merge.locator('input').fill(first.trackingCode);
    await merge.locator('button[type=submit]').click();
    await page.locator('main .facts a', { hasText: first.trackingCode }).waitFor();
    expect(await page.locator('main h1 .badge').first().innerText()).toBe('Resolved');

    await openComplaint(page, first.trackingCode);
    expect(await page.locator('main .history').innerText()).toContain(
      `Duplicate ${second.trackingCode} merged into this one`,
    );
  }, 120_000);

  it('an announcement composed in Russian and English reaches the verified subscribers of its district', async () => {
    // A planned cut in one district: its subscribers are told by SMS.
    const [account] = session.runtime.demo().accounts;
    if (!account) throw new Error('the demo has accounts');
    await subscribeVerified(session.url, account, 'ru', (to) => session.outbox(to));
    const district = (await session.runtime.deps.accounts.get(account.accountNumber))?.district ?? '';
    const page = await consolePage(session, { locale: 'ru-RU' });
    await signInLocally(page, session.url, 'admin');
    const parts = await composeAnnouncement(page, {
      districts: [district],
      kind: 'outage',
      texts: {
        ru: 'Плановое отключение 2 декабря с 10:00 до 14:00.',
        en: 'Planned cut on 2 December, 10:00-14:00.',
      },
    });
    expect(parts.ru).toBeGreaterThanOrEqual(1);

    let received: Array<{ body: string }> = [];
    for (let attempt = 0; attempt < 50 && received.length === 0; attempt++) {
      received = (await session.outbox(account.phone)).filter((m) => m.body.includes('Плановое отключение'));
      if (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(received).toHaveLength(1);
  }, 120_000);

  it('a Russian text too long for an SMS is explained in Russian in the preview, with its size and the limit', async () => {
    // A clerk in the Russian console pastes a long notice: more than ten SMS parts, which the provider refuses.
    const page = await consolePage(session, { locale: 'ru-RU' });
    await signInLocally(page, session.url, 'admin');
    await goTo(page, '/announcements/new');
    await page.locator('main form textarea[lang=ru]').fill('Плановое отключение электроэнергии. '.repeat(20));
    const problems = page.locator('.preview .card[lang=ru] ul.field-error');
    await problems.waitFor();
    expect(await problems.innerText()).toMatch(
      /^Слишком длинно: с заголовком и телефоном для справок \d+ симв\. \(SMS-частей: 1[1-9]\), а отправить можно не больше 630\.$/,
    );
    expect(await problems.getAttribute('lang')).toBe('ru');
  }, 120_000);

  it('a part payment in roubles and kopecks is recorded and leaves the rest outstanding', async () => {
    // A resident pays 100 roubles 50 kopecks of a larger bill at the counter.
    let bill: { accountNumber: string; period: string } | undefined;
    for (const account of session.runtime.demo().accounts) {
      const bills = await session.runtime.deps.bills.list(account.accountNumber, { limit: 6 });
      const found = bills.items.find(
        (b) => b.status !== 'paid' && b.amountDue - b.payments.reduce((s, p) => s + p.amount, 0) > 20_000,
      );
      if (found) bill = { accountNumber: account.accountNumber, period: found.period };
      if (bill) break;
    }
    if (!bill) throw new Error('the demo has an unpaid bill');
    const page = await consolePage(session, { locale: 'ru-RU' });
    await signInLocally(page, session.url, 'admin');
    await enterPayment(page, {
      ...bill,
      amount: '100,50',
      paidAt: '2026-12-01T10:15',
      method: 'cash',
      reference: 'KASSA-17',
    });
    const status = await page.locator('main [role=status]').innerText();
    expect(status).toContain('Платёж записан');
    expect(status).toMatch(/оплачено 100,50\s₽/);
    const stored = await session.runtime.deps.bills.get(bill.accountNumber, bill.period);
    expect(stored?.payments.at(-1)).toMatchObject({ amount: 10_050, method: 'cash', reference: 'KASSA-17' });
    // 10:15 in Yekaterinburg time is 05:15 UTC.
    expect(Date.parse(stored?.payments.at(-1)?.paidAt ?? '')).toBe(Date.parse('2026-12-01T05:15:00Z'));
  }, 120_000);

  it('has no serious accessibility violation on any page, in Russian and English, at desktop and phone width', async () => {
    // Staff work from a desk and from a phone in the field, in either language.
    const found: Array<{ where: string; problem: unknown }> = [];
    for (const locale of ['ru-RU', 'en-US']) {
      for (const viewport of [DESKTOP, PHONE])
        found.push(...(await auditConsole(session, locale, viewport, outage.id)));
    }
    expect(found).toEqual([]);
  }, 300_000);
});
