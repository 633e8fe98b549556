// What a staff member does in the console, as steps any browser test can take (the console's own tests and the
// cross-app test): sign in, open a complaint, move it, compose an announcement, enter a payment. Every step finds
// controls by structure, not by their words, so it works in each of the console's languages.
import type { Page } from 'playwright-core';
import { type PortalSession, seriousViolations } from '#test/support/browser';

/**
 * A fresh page whose clock shows the runtime's time (the runtime's clock is pinned and moved by tests, the
 * browser's would be the machine's), so "past due" is judged as the server would.
 */
export async function consolePage(
  session: PortalSession,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const page = await session.newPage(options);
  await page.clock.setFixedTime(session.runtime.clock.now());
  return page;
}

/** The console's sign-in form with the local issuer: a role, and districts (none: every district). */
export async function signInLocally(
  page: Page,
  url: string,
  role: 'admin' | 'staff' = 'admin',
  districts: string[] = [],
): Promise<void> {
  await page.goto(`${url}/admin/`);
  await page.locator('main form select').first().selectOption(role);
  for (const code of districts) await page.locator(`input[name=district][value="${code}"]`).check();
  await page.locator('main form button[type=submit]').click();
  await page.locator('.who').waitFor();
}

/** Goes to a console route (`/complaints/…`) without reloading the page. */
export async function goTo(page: Page, path: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(path)}`);
}

/** Opens a complaint by its id or its tracking code, and waits until it is shown. */
export async function openComplaint(page: Page, trackingCodeOrId: string): Promise<void> {
  await goTo(page, `/complaints/${encodeURIComponent(trackingCodeOrId)}`);
  const shown = JSON.stringify(trackingCodeOrId);
  await page.locator(`main h1[data-id=${shown}], main h1[data-code=${shown.toUpperCase()}]`).waitFor();
}

/** Moves the open complaint to a status with a note, and waits until its history lists the note. */
export async function moveComplaint(page: Page, to: string, note: string): Promise<void> {
  const form = page.locator('section[aria-labelledby=move-title] form');
  await form.locator('select').selectOption(to);
  await form.locator('textarea').fill(note);
  await form.locator('button[type=submit]').click();
  await page.locator('main .history li', { hasText: note }).waitFor();
}

export interface AnnouncementDraft {
  districts: string[];
  kind: 'outage' | 'freeze' | 'leak-check' | 'general';
  texts: Record<string, string>;
}

/**
 * Writes an announcement in the composer, waits for the size preview of every language, sends it and waits for
 * its status page. Answers the preview's parts by language.
 */
export async function composeAnnouncement(
  page: Page,
  draft: AnnouncementDraft,
): Promise<Record<string, number>> {
  await goTo(page, '/announcements/new');
  const form = page.locator('main form');
  for (const code of draft.districts) await form.locator(`input[name=district][value="${code}"]`).check();
  await form.locator('select').selectOption(draft.kind);
  for (const [language, text] of Object.entries(draft.texts)) {
    await form.locator(`textarea[lang=${language}]`).fill(text);
  }
  const previews = page.locator('.preview .card');
  await previews.nth(Object.keys(draft.texts).length - 1).waitFor();
  const parts: Record<string, number> = {};
  for (const card of await previews.all()) {
    const language = (await card.getAttribute('lang')) ?? '';
    parts[language] = Number(await card.locator('.preview-parts').innerText());
  }
  await form.locator('button[type=submit]').click();
  await page.locator('main .announcement-status').waitFor();
  return parts;
}

export interface PaymentEntry {
  accountNumber: string;
  period: string;
  /** In the currency's units, as a clerk types it (e.g. 1234.50). */
  amount: string;
  /** Local wall time, 2026-12-01T09:30. */
  paidAt: string;
  method: 'giro' | 'virtual-account' | 'card' | 'cash' | 'auto-pay';
  reference: string;
}

/** Fills the payments form and submits it; the page then shows the result or the problems at their fields. */
export async function enterPayment(page: Page, payment: PaymentEntry): Promise<void> {
  await goTo(page, '/payments');
  const form = page.locator('main form');
  const inputs = form.locator('input');
  await inputs.nth(0).fill(payment.accountNumber);
  await inputs.nth(1).fill(payment.period);
  await inputs.nth(2).fill(payment.amount);
  await inputs.nth(3).fill(payment.paidAt);
  await form.locator('select').selectOption(payment.method);
  await inputs.nth(4).fill(payment.reference);
  await form.locator('button[type=submit]').click();
  await page.locator('main [role=status], main [role=alert]').first().waitFor();
}

/** Whether the page is wider than its window (a sideways scroll at 360 px). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return Boolean(
    await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth'),
  );
}

// ---- Set-up through the API (what residents did before staff open the console) ----

async function post(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A resident files a complaint (duplicates confirmed); answers its id and tracking code. */
export async function fileComplaint(
  url: string,
  complaint: Record<string, unknown>,
): Promise<{ id: string; trackingCode: string }> {
  const filed = await post(url, '/complaints', { confirmDuplicates: true, ...complaint });
  return { id: String(filed.id), trackingCode: String(filed.trackingCode) };
}

/** A resident signs up for notices by SMS and enters the code texted to them: a verified subscriber. */
export async function subscribeVerified(
  url: string,
  account: { accountNumber: string; phone: string },
  language: string,
  outbox: (to: string) => Promise<Array<{ body: string }>>,
): Promise<void> {
  const utility = (await (await fetch(`${url}/utility`)).json()) as { consent: { version: string } };
  const started = await post(url, '/subscriptions', {
    accountNumber: account.accountNumber,
    phone: account.phone,
    channel: 'sms',
    language,
    consentVersion: utility.consent.version,
  });
  const code = (await outbox(account.phone)).map((m) => m.body.match(/(\d{6})/)?.[1]).find(Boolean);
  await post(url, `/subscriptions/${String(started.id)}/verify`, { code });
}

/**
 * Every console page in one language and window size (sign-in, queue, a complaint, the composer with its preview and
 * errors, reports, an announcement, payments with its errors): answers what is wrong on each, for `expect(...).toEqual([])`: axe's serious
 * and critical violations, a page wider than a 360 px phone, a page not in the language asked for.
 */
export async function auditConsole(
  session: PortalSession,
  locale: string,
  viewport: { width: number; height: number },
  complaint: string,
): Promise<Array<{ where: string; problem: unknown }>> {
  const found: Array<{ where: string; problem: unknown }> = [];
  const language = locale.split('-')[0];
  const page = await consolePage(session, { locale, viewport });
  const check = async (name: string) => {
    const where = `${locale} ${viewport.width}px ${name}`;
    const lang = await page.getAttribute('html', 'lang');
    if (lang !== language) found.push({ where, problem: `in ${lang}` });
    const violations = await seriousViolations(page);
    if (violations.length > 0) found.push({ where, problem: violations });
    if (await scrollsSideways(page)) found.push({ where, problem: 'scrolls sideways' });
  };
  await page.goto(`${session.url}/admin/`);
  await page.locator('main h1').waitFor();
  await check('sign-in');
  await signInLocally(page, session.url, 'admin');
  await page.locator('table.queue, main p[role=status]').first().waitFor();
  await check('queue');
  await openComplaint(page, complaint);
  await check('complaint');
  await goTo(page, '/announcements/new');
  await page.locator('main textarea').first().fill('…');
  await page.locator('.preview .card').first().waitFor();
  await page.locator('main form button[type=submit]').click();
  await page.locator('main .field-error').first().waitFor();
  await check('composer');
  await goTo(page, '/reports');
  await page.locator('main h1').waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
  await page.locator('main form button[type=submit]').click();
  await page.locator('main [role=alert], main table caption').last().waitFor();
  await check('reports');
  const announcement = page.locator('main table a').first();
  if ((await announcement.count()) > 0) {
    await announcement.click();
    await page.locator('main .announcement-status').waitFor();
    await check('announcement');
  }
  await goTo(page, '/payments');
  await page.locator('main form button[type=submit]').click();
  await page.locator('main .field-error').first().waitFor();
  await check('payments');
  await page.context().close();
  return found;
}

/** The reporter adds a photo through the presigned form, as their browser would (the file last). */
export async function addPhoto(url: string, complaintId: string, file: Buffer): Promise<void> {
  const form = (await post(url, `/complaints/${complaintId}/photos`, {})) as {
    url: string;
    fields: Record<string, string>;
  };
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('Content-Type', 'image/jpeg');
  body.append('file', new Blob([new Uint8Array(file)], { type: 'image/jpeg' }), 'photo.jpg');
  const uploaded = await fetch(form.url, { method: 'POST', body });
  if (!uploaded.ok) throw new Error(`photo upload: ${uploaded.status}`);
}
