// Sending and redeeming six-digit codes by SMS: the per-phone limit, hashing, expiry and attempts.
import { randomBytes } from 'node:crypto';
import { RateLimitedError, UnauthenticatedError } from '#domain/errors';
import { codeMatches, decideSend, generateOtpCode, hashOtp, otpState } from '#domain/otp';
import type { Deps } from './ports.ts';

const SEND_LOG_RETRIES = 3;

export interface CodeToSend {
  /** What the code will open: an account number, or `subscription:<id>`. */
  subject: string;
  /** E.164. */
  phone: string;
  /** False stores an unusable decoy and sends nothing, yet looks and counts the same to the caller. */
  deliver: boolean;
  text: (code: string) => string;
}

/** Counts the code against the phone's limit (429 beyond it), stores its hash, and texts it. */
export async function sendCode(
  deps: Pick<Deps, 'config' | 'clock' | 'otps' | 'sms' | 'keys'>,
  request: CodeToSend,
): Promise<{ expiresInSeconds: number }> {
  const { config } = deps;
  const now = deps.clock.now().getTime();
  const limit = {
    maxPerWindow: config.auth.otpMaxPerPhone,
    windowMs: config.auth.otpRateWindowMinutes * 60_000,
  };
  for (let attempt = 1; ; attempt++) {
    const log = await deps.otps.getSendLog(request.phone);
    const decision = decideSend(log.sentAt, now, limit);
    if (!decision.admitted) {
      throw new RateLimitedError(
        'otp-rate-limited',
        `No more than ${limit.maxPerWindow} codes may be sent to one phone in ${config.auth.otpRateWindowMinutes} minutes.`,
        decision.retryAfterSeconds,
      );
    }
    if (await deps.otps.putSendLog(request.phone, decision.sentAt, log.version, now + limit.windowMs)) break;
    if (attempt >= SEND_LOG_RETRIES) {
      throw new RateLimitedError('otp-rate-limited', 'Too many codes are being requested for this phone.', 5);
    }
  }
  const code = generateOtpCode();
  const ttlMs = config.auth.otpTtlMinutes * 60_000;
  // A decoy's hash is of 32 random bytes, which no six-digit code can match.
  const hashed = request.deliver ? code : randomBytes(32).toString('hex');
  await deps.otps.put(
    {
      subject: request.subject,
      phone: request.phone,
      codeHash: hashOtp(hashed, deps.keys.otp, request.subject, request.phone),
      expiresAt: now + ttlMs,
      attempts: 0,
    },
    now + ttlMs,
  );
  if (request.deliver) await deps.sms.send({ to: request.phone, body: request.text(code), purpose: 'otp' });
  return { expiresInSeconds: ttlMs / 1000 };
}

const exhausted = () =>
  new UnauthenticatedError('otp-attempts-exceeded', 'Too many wrong codes: request a new one.');

/** Accepts the code once, or throws otp-invalid / otp-expired / otp-attempts-exceeded (401). */
export async function redeemCode(
  deps: Pick<Deps, 'config' | 'clock' | 'otps' | 'keys'>,
  request: { subject: string; phone: string; code: string },
): Promise<void> {
  const { subject, phone } = request;
  const max = deps.config.auth.otpMaxAttempts;
  const record = await deps.otps.get(subject, phone);
  switch (otpState(record, deps.clock.now().getTime(), max)) {
    case 'missing':
      throw new UnauthenticatedError('otp-invalid', 'The code is wrong or was never requested.');
    case 'expired':
      throw new UnauthenticatedError('otp-expired', 'The code has expired: request a new one.');
    case 'exhausted':
      throw exhausted();
    case 'open':
      break;
  }
  // Count the try before comparing, so concurrent guesses cannot exceed the limit.
  const attempts = await deps.otps.countAttempt(subject, phone, max);
  if (attempts === undefined || !record) throw exhausted();
  if (!codeMatches(record, hashOtp(request.code, deps.keys.otp, subject, phone))) {
    const left = max - attempts;
    if (left <= 0) throw exhausted();
    throw new UnauthenticatedError(
      'otp-invalid',
      `The code is wrong; ${left} attempt${left === 1 ? '' : 's'} left.`,
    );
  }
  if (!(await deps.otps.consume(subject, phone, record.codeHash))) {
    throw new UnauthenticatedError('otp-invalid', 'The code has already been used.');
  }
}
