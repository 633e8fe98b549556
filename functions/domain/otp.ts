// One-time codes: generation, hashing, checking, and the per-phone sending limit. Pure rules.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const OTP_LENGTH = 6;

export function generateOtpCode(): string {
  return String(randomInt(0, 10 ** OTP_LENGTH)).padStart(OTP_LENGTH, '0');
}

/** Codes are stored only as a keyed hash bound to what they open (the subject) and the phone they went to. */
export function hashOtp(code: string, key: Buffer, subject: string, phone: string): string {
  return createHmac('sha256', key).update(`${subject}\n${phone}\n${code}`).digest('base64url');
}

export interface OtpRecord {
  /** What the code opens: an account number (login) or `subscription:<id>` (verification). */
  subject: string;
  phone: string;
  codeHash: string;
  /** Epoch milliseconds after which the code is no longer accepted. */
  expiresAt: number;
  /** Codes tried so far, right or wrong. */
  attempts: number;
}

export type OtpState = 'open' | 'expired' | 'exhausted' | 'missing';

/** Whether a stored code can still be tried. Attempts are counted before the code is compared. */
export function otpState(record: OtpRecord | undefined, now: number, maxAttempts: number): OtpState {
  if (!record) return 'missing';
  if (now >= record.expiresAt) return 'expired';
  if (record.attempts >= maxAttempts) return 'exhausted';
  return 'open';
}

export function codeMatches(record: OtpRecord, candidateHash: string): boolean {
  const a = Buffer.from(record.codeHash);
  const b = Buffer.from(candidateHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SendLimit {
  maxPerWindow: number;
  windowMs: number;
}

export type SendDecision =
  | { admitted: true; sentAt: number[] }
  | { admitted: false; retryAfterSeconds: number };

/**
 * Sliding-window limit on codes sent to one phone: `sentAt` holds the epoch-ms times of earlier
 * codes. Admitted -> the new list to store (old entries dropped); refused -> when to retry.
 */
export function decideSend(sentAt: number[], now: number, limit: SendLimit): SendDecision {
  const recent = sentAt.filter((t) => t > now - limit.windowMs).sort((a, b) => a - b);
  if (recent.length < limit.maxPerWindow) return { admitted: true, sentAt: [...recent, now] };
  const oldest = recent[recent.length - limit.maxPerWindow] ?? now;
  return {
    admitted: false,
    retryAfterSeconds: Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000)),
  };
}
