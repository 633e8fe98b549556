import { describe, expect, it } from 'vitest';
import { codeMatches, decideSend, generateOtpCode, hashOtp, type OtpRecord, otpState } from '#domain/otp';

const key = Buffer.alloc(32, 7);
const record = (over: Partial<OtpRecord> = {}): OtpRecord => ({
  subject: '123456789',
  phone: '+821012345678',
  codeHash: hashOtp('123456', key, '123456789', '+821012345678'),
  expiresAt: 1_000_000,
  attempts: 0,
  ...over,
});

describe('one-time codes', () => {
  it('are six digits, leading zeros kept', () => {
    for (let i = 0; i < 200; i++) expect(generateOtpCode()).toMatch(/^\d{6}$/);
  });

  it('are stored as a hash bound to account and phone, never in clear', () => {
    const hash = hashOtp('123456', key, '123456789', '+821012345678');
    expect(hash).not.toContain('123456');
    expect(hashOtp('123456', key, '123456780', '+821012345678')).not.toBe(hash);
    expect(hashOtp('123456', key, '123456789', '+821012345679')).not.toBe(hash);
    expect(hashOtp('123456', Buffer.alloc(32, 8), '123456789', '+821012345678')).not.toBe(hash);
  });

  it('match only the code that was sent', () => {
    expect(codeMatches(record(), hashOtp('123456', key, '123456789', '+821012345678'))).toBe(true);
    expect(codeMatches(record(), hashOtp('123457', key, '123456789', '+821012345678'))).toBe(false);
  });

  it('can be tried until they expire, and not at the instant of expiry', () => {
    expect(otpState(record(), 999_999, 5)).toBe('open');
    expect(otpState(record(), 1_000_000, 5)).toBe('expired');
    expect(otpState(undefined, 0, 5)).toBe('missing');
  });

  it('allow five attempts, then no more', () => {
    expect(otpState(record({ attempts: 4 }), 0, 5)).toBe('open');
    expect(otpState(record({ attempts: 5 }), 0, 5)).toBe('exhausted');
  });
});

describe('the per-phone sending limit (3 codes in 10 minutes)', () => {
  const limit = { maxPerWindow: 3, windowMs: 600_000 };

  it('admits three codes and refuses the fourth inside the window', () => {
    let sent: number[] = [];
    for (const t of [0, 1_000, 2_000]) {
      const decision = decideSend(sent, t, limit);
      expect(decision.admitted).toBe(true);
      if (decision.admitted) sent = decision.sentAt;
    }
    expect(decideSend(sent, 3_000, limit)).toEqual({ admitted: false, retryAfterSeconds: 597 });
  });

  it('admits again once the oldest code leaves the window', () => {
    expect(decideSend([0, 1_000, 2_000], 600_000, limit)).toEqual({
      admitted: true,
      sentAt: [1_000, 2_000, 600_000],
    });
  });

  it('forgets codes older than the window', () => {
    expect(decideSend([-700_000, -650_000, 0], 10, limit)).toEqual({ admitted: true, sentAt: [0, 10] });
  });
});
