// The whole path of a complaint through both pages: a resident reports a leak with a photo in the portal and
// follows it by its code; a clerk finds it in the staff console, sees the photo and assigns it; the resident's page
// shows the new status, and the resident's phone gets the SMS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalSession, startPortal } from '#test/support/browser';
import { fileComplaintInPortal, openPortal } from './citizen-steps.ts';
import { consolePage, moveComplaint, openComplaint, signInLocally } from './console-steps.ts';

const PHOTO = new URL('../fixtures/photos/leak-with-gps.jpg', import.meta.url).pathname;
const PHONE = '+821055501234';

let session: PortalSession;

beforeAll(async () => {
  // 10:00 on 1 December in Seoul: office hours, so the assignment SMS goes out at once.
  session = await startPortal({ utility: 'seoul-water', now: '2026-12-01T10:00', demoAccounts: 4 });
}, 120_000);
afterAll(async () => session?.stop());

describe('a complaint from the portal to the console and back', () => {
  it('is filed with a photo, assigned in the console, and shown assigned on the resident’s tracking page', async () => {
    // A resident reports a leak on Sejong-daero from their phone, with a photo and their number for updates.
    const resident = await session.newPage();
    await openPortal(resident, session.url, '/', 'en');
    const code = await fileComplaintInPortal(resident, session.url, {
      type: 'leak',
      description: 'Clean water running from under the pavement by the bus stop',
      address: '서울특별시 종로구 세종대로 175',
      phone: PHONE,
      photo: PHOTO,
    });
    await resident.goto(`${session.url}/#/track/${code}`);
    await expect(resident.locator('.complaint-status').textContent()).resolves.toBe('Received');

    // The district's clerk opens it by the code the resident read out, sees the photo, and assigns it.
    const clerk = await consolePage(session);
    await signInLocally(clerk, session.url, 'admin');
    await openComplaint(clerk, code);
    await clerk.locator('main .photos button').click();
    await clerk.locator('main img.photo').waitFor();
    await expect
      .poll(() => clerk.evaluate(`document.querySelector('main img.photo').naturalWidth`))
      .toBeGreaterThan(0);
    await moveComplaint(clerk, 'assigned', 'Crew 3 sent to Sejong-daero');

    // The resident looks again: the page shows it assigned, with the move in its dated history.
    await resident.reload();
    await resident.locator('.complaint-status').waitFor();
    await expect(resident.locator('.complaint-status').textContent()).resolves.toBe('Assigned');
    await expect(resident.locator('.history li').count()).resolves.toBeGreaterThanOrEqual(2);
    // The internal note stays internal: the public page never shows staff notes.
    await expect(resident.locator('main').textContent()).resolves.not.toContain('Crew 3');

    // And the phone got the assignment SMS with the tracking code.
    await expect
      .poll(async () => (await session.outbox(PHONE)).map((sms) => sms.body).join('\n'))
      .toContain(code);
  }, 90_000);
});
