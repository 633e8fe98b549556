import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '#domain/token';

const key = Buffer.alloc(32, 1);
const claims = { sub: '123456789', aud: 'seoul-water', scope: 'account' as const, iat: 1000, exp: 1900 };

describe('bearer tokens', () => {
  it('verify while fresh and return the account they open', () => {
    expect(verifyToken(issueToken(claims, key), key, 'seoul-water', 1899)).toEqual({ valid: true, claims });
  });

  it('expire at exp', () => {
    expect(verifyToken(issueToken(claims, key), key, 'seoul-water', 1900)).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('are refused when signed with another key, for another utility, or altered', () => {
    const token = issueToken(claims, key);
    expect(verifyToken(token, Buffer.alloc(32, 2), 'seoul-water', 1000).valid).toBe(false);
    expect(verifyToken(token, key, 'tyumen-power', 1000).valid).toBe(false);
    const [v, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '987654321' })).toString('base64url');
    expect(verifyToken(`${v}.${forged}.${sig}`, key, 'seoul-water', 1000)).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });

  it('refuse garbage without throwing', () => {
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', 'v1.a.b.c', 'Bearer x', '....']) {
      expect(verifyToken(junk, key, 'seoul-water', 1000)).toEqual({ valid: false, reason: 'malformed' });
    }
  });
});
