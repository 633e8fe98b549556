// Where the pages send each call in AWS: the public reads a page load makes go to the portal's own origin, where
// CloudFront answers them from its cache; everything signed, written or private goes to the API itself.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, configureApi } from '../../portal/src/shared/api.ts';

const API = 'https://abc123.execute-api.ap-northeast-2.amazonaws.com';

let asked: string[];

beforeEach(() => {
  asked = [];
  // The browser's fetch, seen from outside: which address each call went to.
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  configureApi({ base: `${API}/`, language: 'ko', cachedReads: ['/utility', '/announcements'] });
});

afterEach(() => {
  vi.unstubAllGlobals();
  configureApi({ base: '', cachedReads: [] });
});

describe("the portal's calls in AWS", () => {
  it('reads the utility and the announcements through its own origin, with their query', async () => {
    // A resident opens the portal during an outage: both reads are answered by the edge, not by Lambda.
    await api('/utility?lang=ko');
    await api('/announcements?district=11110');
    await api('/utility');
    expect(asked).toEqual(['/utility?lang=ko', '/announcements?district=11110', '/utility']);
  });

  it('sends signed reads, writes and other routes to the API', async () => {
    // A bill is private and a sign-up is a write: neither may come from a shared cache.
    await api('/accounts/1234567890/bills', { token: 'resident-token' });
    await api('/utility', { token: 'staff-token' });
    await api('/subscriptions', { body: { accountNumber: '1' } });
    await api('/complaint-types');
    await api('/utility/extra');
    expect(asked).toEqual([
      `${API}/accounts/1234567890/bills`,
      `${API}/utility`,
      `${API}/subscriptions`,
      `${API}/complaint-types`,
      `${API}/utility/extra`,
    ]);
  });

  it('sends everything to the API when the deployment names no cached reads (locally)', async () => {
    // npm start serves the API on the page's origin and writes no cachedReads into config.json.
    configureApi({ cachedReads: [] });
    await api('/utility');
    expect(asked).toEqual([`${API}/utility`]);
  });
});
