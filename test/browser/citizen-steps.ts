// Steps a resident takes in the citizen portal, shared by the citizen tests and the cross-app flow (a complaint
// filed here is worked in the staff console): each drives the real page, as a person with a keyboard would.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DESKTOP, PHONE, type PortalSession, seriousViolations } from '#test/support/browser';

/** The newest six-digit code texted to the phone after its first `after` messages, waiting (bounded) for the queued SMS to be sent. */
export async function codeTextedTo(session: PortalSession, phone: string, after = 0): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // The outbox lists the newest first: the messages sent since `after` come before the rest.
    const messages = await session.outbox(phone);
    const code = messages
      .slice(0, messages.length - after)
      .map((m) => m.body.match(/(\d{6})/)?.[1])
      .find(Boolean);
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no code texted to ${phone}`);
}

/** Opens a page of the portal (a hash route such as `/bills`) in the given language and waits for its heading. */
export async function openPortal(page: Page, url: string, path = '/', language?: string): Promise<void> {
  if (language) {
    await page.goto(`${url}/`);
    await page.evaluate(`localStorage.setItem('utilitydesk.language', ${JSON.stringify(language)})`);
  }
  await page.goto(`${url}/#${path}`);
  // A change of hash alone does not load the page again: a reload makes the stored language count.
  if (language) await page.reload();
  await page.locator('main h1').first().waitFor();
  if (language) await page.locator(`html[lang="${language}"]`).waitFor({ state: 'attached' });
}

/** Signs in on the page's sign-in form with a one-time code, as the account holder. */
export async function signInWithCode(
  page: Page,
  session: PortalSession,
  account: { accountNumber: string; phone: string },
): Promise<void> {
  const before = (await session.outbox(account.phone)).length;
  const form = page.locator('form').filter({ has: page.locator('input[type="tel"]') });
  await form.locator('input').first().fill(account.accountNumber);
  await form.locator('input[type="tel"]').fill(account.phone);
  await form.locator('button[type="submit"]').click();
  const code = await codeTextedTo(session, account.phone, before);
  await page.locator('input[autocomplete="one-time-code"]').fill(code);
  await page.locator('input[autocomplete="one-time-code"]').press('Enter');
  const alert = page.locator('main [role="alert"]');
  await Promise.race([page.locator('.signed-in').waitFor(), alert.waitFor()]);
  if (await alert.isVisible()) throw new Error(`sign-in refused: ${await alert.textContent()}`);
}

export interface ComplaintInPortal {
  /** A complaint type's code (GET /utility complaintTypes); its required answers are filled with the first choice. */
  type: string;
  description: string;
  address?: string;
  /** A pin placed by clicking the map at this fraction of its width and height. */
  mapAt?: { x: number; y: number };
  phone?: string;
  /** A picture file to upload once the complaint is filed. */
  photo?: string;
}

/**
 * Files a complaint through the report page (filing anyway if similar ones are open), uploads the photo if one is
 * given, and returns the tracking code the page shows.
 */
export async function fileComplaintInPortal(
  page: Page,
  url: string,
  complaint: ComplaintInPortal,
): Promise<string> {
  await page.goto(`${url}/#/report`);
  const form = page.locator('main form');
  await form.locator('select').first().selectOption(complaint.type);
  // The type's own questions: every required one answered (a list with its first choice, a number with 1). A choice
  // the page announces as private (a leak indoors) is passed over: these are reports anyone may see.
  const details = form
    .locator('fieldset')
    .filter({ has: page.locator('legend') })
    .first();
  const privateNote = details.locator('[role="status"]').filter({ hasText: /\S/ });
  for (const select of await details.locator('select').all()) {
    for (const option of (await select.locator('option').all()).slice(1)) {
      const value = await option.getAttribute('value');
      if (!value) continue;
      await select.selectOption(value);
      if ((await privateNote.count()) === 0) break;
    }
  }
  for (const input of await details.locator('input[inputmode="decimal"]').all()) await input.fill('1');
  for (const input of await details.locator('input[type="datetime-local"]').all())
    await input.fill('2026-12-01T09:30');
  for (const input of await details.locator('input[required][type="text"], textarea[required]').all())
    if (!(await input.inputValue())) await input.fill('-');
  if (complaint.address)
    await page
      .getByLabel(/address|주소|адрес/i)
      .first()
      .fill(complaint.address);
  if (complaint.mapAt) {
    const map = page.locator('svg.map');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    await map.click({ position: { x: box.width * complaint.mapAt.x, y: box.height * complaint.mapAt.y } });
    await page.locator('svg.map circle.pin').waitFor();
  }
  await form.locator('textarea').last().fill(complaint.description);
  if (complaint.phone) {
    // A phone for updates, and the consent to be texted about this report, in the contact box.
    await form.locator('input[type="tel"]').fill(complaint.phone);
    await form
      .locator('fieldset')
      .filter({ has: page.locator('input[type="tel"]') })
      .locator('input[type="checkbox"]')
      .check();
  }
  await form.locator('button[type="submit"]').click();
  const anyway = page.locator('#duplicates-heading ~ .actions button');
  const code = page.locator('.tracking-code-large');
  await Promise.race([anyway.waitFor(), code.waitFor()]);
  if (await anyway.isVisible()) await anyway.click();
  const trackingCode = (await code.textContent())?.trim() ?? '';
  expect(trackingCode).toMatch(/^[0-9A-Z]{8}$/);
  if (complaint.photo) {
    await page.locator('input[type="file"]').setInputFiles(complaint.photo);
    await page.locator('input[type="file"] ~ *, main form button[type="submit"]').last().click();
    await page
      .locator('[role="status"]')
      .filter({ hasText: /\(1\)|1/ })
      .waitFor();
  }
  return trackingCode;
}

/** The width the page needs, for checking that nothing scrolls sideways on a phone. */
export async function pageWidth(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth'));
}

/** An account token straight from the API (code by SMS, then the token), for opening pages signed in. */
export async function accountToken(
  session: PortalSession,
  account: { accountNumber: string; phone: string },
) {
  const post = (path: string, body: unknown) =>
    fetch(`${session.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const { accountNumber, phone } = account;
  const before = (await session.outbox(phone)).length;
  await post('/auth/otp', { accountNumber, phone });
  const code = await codeTextedTo(session, phone, before);
  const answer = (await (await post('/auth/token', { accountNumber, phone, code })).json()) as {
    accessToken: string;
  };
  return { accountNumber, token: answer.accessToken, expiresAt: Date.now() + 600_000 };
}

/**
 * Opens every page of the portal in each language, at desktop width and at 360 px, signed in as the account, and
 * lists what is wrong: axe's serious and critical violations, and any page wider than the phone.
 */
export async function accessibilityProblems(
  session: PortalSession,
  options: {
    languages: string[];
    signedIn: { accountNumber: string; token: string };
    /** A type whose questions the report page shows in the sweep. */
    complaintType: string;
    /** A complaint filed first, so its tracking page is checked too. */
    tracked: { type: string; attributes: Record<string, string> };
  },
): Promise<string[]> {
  const { signedIn } = options;
  const bills = (await (
    await fetch(`${session.url}/accounts/${signedIn.accountNumber}/bills?limit=1`, {
      headers: { authorization: `Bearer ${signedIn.token}` },
    })
  ).json()) as { items: Array<{ period: string }> };
  const period = bills.items[0]?.period;
  const filed = (await (
    await fetch(`${session.url}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...options.tracked,
        description: 'A sweep of the pages',
        address: '1 Main Street',
        districtCode: session.runtime.deps.config.districts[0]?.code,
      }),
    })
  ).json()) as { trackingCode?: string };
  const pages = [
    '/',
    '/sign-up',
    '/report',
    '/track',
    `/track/${filed.trackingCode ?? 'unknown'}`,
    '/bills',
    `/bills/${period}`,
    `/bills/${period}/receipt`,
    '/reading',
  ];
  const found: string[] = [];
  const check = async (page: Page, where: string, phone: boolean) => {
    for (const v of await seriousViolations(page)) found.push(`${where}: ${v.id} ${v.nodes.join(', ')}`);
    const width = await pageWidth(page);
    if (phone && width > PHONE.width) found.push(`${where}: ${width} px wide`);
  };
  for (const language of options.languages)
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await session.newPage({ viewport });
      await page.goto(`${session.url}/`);
      const stored = JSON.stringify({ ...signedIn, expiresAt: Date.now() + 600_000 });
      await page.evaluate(`localStorage.setItem('utilitydesk.language', ${JSON.stringify(language)});
        sessionStorage.setItem('utilitydesk.account', ${JSON.stringify(stored)})`);
      await page.reload();
      for (const path of pages) {
        const where = `${language} ${viewport.width}px ${path}`;
        await page.goto(`${session.url}/#${path}`);
        // A page that never draws its heading is named, with what the page shows instead.
        await page
          .locator('main h1')
          .first()
          .waitFor()
          .catch(async (error: Error) => {
            const shown = await page
              .locator('main')
              .innerText()
              .catch(() => '(no main)');
            throw new Error(
              `${where}: no heading (${error.message.split('\n')[0]}); the page shows: ${shown.slice(0, 300)}`,
            );
          });
        await page.locator('main .loading').waitFor({ state: 'detached' });
        if ((await pageLanguage(page)) !== language) found.push(`${where}: not in ${language}`);
        await check(page, where, viewport === PHONE);
        if (path === '/report') {
          // The type's own questions appear once a type is chosen.
          await page.locator('main select').first().selectOption(options.complaintType);
          await check(page, `${where} (${options.complaintType})`, viewport === PHONE);
        }
      }
    }
  return found;
}

/** The language the page says it is in (<html lang>). */
export async function pageLanguage(page: Page): Promise<string> {
  return String(await page.evaluate('document.documentElement.lang'));
}

/** The account token the page keeps for this tab. */
export async function tokenInPage(page: Page): Promise<string> {
  return String(
    await page.evaluate(`JSON.parse(sessionStorage.getItem('utilitydesk.account') ?? '{}').token`),
  );
}
