// Where the pages send each call in AWS: the public reads a page load makes go to the portal's own origin, where
// CloudFront answers them from its cache; everything signed, written or private goes to the API itself.
import { describe, expect, it } from 'vitest';
import { baseFor } from '../../portal/src/shared/api-routes.ts';

const API = 'https://abc123.execute-api.ap-northeast-2.amazonaws.com';
const inAws = { apiBase: API, cachedReads: ['/utility', '/announcements'] };

describe("the portal's calls in AWS", () => {
  it('reads the utility and the announcements through its own origin, with or without a query', () => {
    // A resident opens the portal during an outage: both reads are answered by the edge, not by Lambda.
    expect(baseFor('/utility?lang=ko', {}, inAws)).toBe('');
    expect(baseFor('/announcements?district=11110', {}, inAws)).toBe('');
    expect(baseFor('/utility', { method: 'GET' }, inAws)).toBe('');
  });

  it('sends signed reads, writes and other routes to the API', () => {
    // A bill is private and a sign-up is a write: neither may come from a shared cache.
    expect(baseFor('/accounts/1234567890/bills', { token: 'resident-token' }, inAws)).toBe(API);
    expect(baseFor('/utility', { token: 'staff-token' }, inAws)).toBe(API);
    expect(baseFor('/subscriptions', { body: { accountNumber: '1' } }, inAws)).toBe(API);
    expect(baseFor('/announcements', { method: 'DELETE' }, inAws)).toBe(API);
    expect(baseFor('/complaint-types', {}, inAws)).toBe(API);
    expect(baseFor('/utility/extra', {}, inAws)).toBe(API);
  });

  it('sends everything to the API when the deployment names no cached reads (locally)', () => {
    // npm start serves the API on the page's origin and writes no cachedReads into config.json.
    expect(baseFor('/utility', {}, { apiBase: '', cachedReads: [] })).toBe('');
    expect(baseFor('/utility', {}, { apiBase: API, cachedReads: [] })).toBe(API);
  });
});
