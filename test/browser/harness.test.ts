import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalSession, seriousViolations, startPortal } from '#test/support/browser';

let session: PortalSession;
beforeAll(async () => {
  session = await startPortal({ utility: 'seoul-water', now: '2026-12-01T10:00' });
}, 120_000);
afterAll(async () => session?.stop());

describe('harness', () => {
  it('serves the portal with its CSP and runs axe', async () => {
    const page = await session.newPage();
    const response = await page.goto(`${session.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});
