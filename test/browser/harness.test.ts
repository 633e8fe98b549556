import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalSession, seriousViolations, startPortal } from '#test/support/browser';

let session: PortalSession;
beforeAll(async () => {
  session = await startPortal({ utility: 'seoul-water', now: '2026-12-01T10:00' });
}, 120_000);
afterAll(async () => session?.stop());

describe("the portal's files on the local server", () => {
  it('serves the portal with its CSP and runs axe', async () => {
    const page = await session.newPage();
    const response = await page.goto(`${session.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('answers only the built files under /assets/: a folder or a path out of the build is 404, never a 500', async () => {
    // A curious visitor pokes at the asset folder and at paths that climb out of it.
    for (const path of ['/assets/', '/assets/%2e%2e/%2e%2e/package.json', '/assets/nothing.js']) {
      const response = await fetch(`${session.url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});
