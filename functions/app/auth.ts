// Use cases: send a one-time code to a registered phone, and exchange it for an account token.
import { randomBytes } from 'node:crypto';
import { RateLimitedError, UnauthenticatedError, ValidationError } from '#domain/errors';
import { otpText } from '#domain/messages';
import { codeMatches, decideSend, generateOtpCode, hashOtp, otpState } from '#domain/otp';
import { toE164 } from '#domain/phone';
import { issueToken, type TokenClaims, verifyToken } from '#domain/token';
import { checkAccountNumber } from './account-number.ts';
import type { Deps } from './ports.ts';

const SEND_LOG_RETRIES = 3;

export function primaryLanguage(config: Deps['config']): string {
  return config.locale.slice(0, 2);
}

function phoneOrThrow(config: Deps['config'], phone: string): string {
  const e164 = toE164(phone, config.country);
  if (!e164) {
    throw new ValidationError('The phone number is not valid.', [
      { field: 'body.phone', message: `"${phone}" is not a valid phone number for ${config.country}` },
    ]);
  }
  return e164;
}

export interface OtpRequest {
  accountNumber: string;
  phone: string;
}

export interface OtpRequested {
  status: 'accepted';
  message: string;
  expiresInSeconds: number;
}

/**
 * Sends a code only when the phone is registered on the account, yet answers, stores a (decoy)
 * code and counts the request the same way when it is not, so nothing tells the two apart.
 */
export async function requestOtp(
  deps: Pick<Deps, 'config' | 'clock' | 'accounts' | 'otps' | 'sms' | 'keys'>,
  request: OtpRequest,
): Promise<OtpRequested> {
  const { config, clock } = deps;
  checkAccountNumber(config, request.accountNumber, 'body.accountNumber');
  const phone = phoneOrThrow(config, request.phone);
  const now = clock.now().getTime();
  const limit = {
    maxPerWindow: config.auth.otpMaxPerPhone,
    windowMs: config.auth.otpRateWindowMinutes * 60_000,
  };

  for (let attempt = 1; ; attempt++) {
    const log = await deps.otps.getSendLog(phone);
    const decision = decideSend(log.sentAt, now, limit);
    if (!decision.admitted) {
      throw new RateLimitedError(
        'otp-rate-limited',
        `No more than ${limit.maxPerWindow} codes may be sent to one phone in ${config.auth.otpRateWindowMinutes} minutes.`,
        decision.retryAfterSeconds,
      );
    }
    if (await deps.otps.putSendLog(phone, decision.sentAt, log.version, now + limit.windowMs)) break;
    if (attempt >= SEND_LOG_RETRIES) {
      throw new RateLimitedError('otp-rate-limited', 'Too many codes are being requested for this phone.', 5);
    }
  }

  const registered = await deps.accounts.hasPhone(request.accountNumber, phone);
  const code = generateOtpCode();
  const ttlMs = config.auth.otpTtlMinutes * 60_000;
  // An unregistered phone gets a record whose hash no six-digit code can match.
  const hashed = registered ? code : randomBytes(32).toString('hex');
  await deps.otps.put(
    {
      accountNumber: request.accountNumber,
      phone,
      codeHash: hashOtp(hashed, deps.keys.otp, request.accountNumber, phone),
      expiresAt: now + ttlMs,
      attempts: 0,
    },
    now + ttlMs,
  );
  if (registered) {
    const language = primaryLanguage(config);
    const utilityName = config.name[language] ?? config.id;
    await deps.sms.send({
      to: phone,
      body: otpText(language, { utilityName, code, minutes: config.auth.otpTtlMinutes }),
      purpose: 'otp',
    });
  }
  return {
    status: 'accepted',
    message: 'If this phone is registered on the account, a code has been sent to it by SMS.',
    expiresInSeconds: ttlMs / 1000,
  };
}

export interface TokenRequest extends OtpRequest {
  code: string;
}

export interface TokenIssued {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  accountNumber: string;
}

export async function exchangeOtpForToken(
  deps: Pick<Deps, 'config' | 'clock' | 'otps' | 'keys'>,
  request: TokenRequest,
): Promise<TokenIssued> {
  const { config, clock } = deps;
  checkAccountNumber(config, request.accountNumber, 'body.accountNumber');
  const phone = phoneOrThrow(config, request.phone);
  const now = clock.now().getTime();
  const max = config.auth.otpMaxAttempts;
  const record = await deps.otps.get(request.accountNumber, phone);

  switch (otpState(record, now, max)) {
    case 'missing':
      throw new UnauthenticatedError('otp-invalid', 'The code is wrong or was never requested.');
    case 'expired':
      throw new UnauthenticatedError('otp-expired', 'The code has expired: request a new one.');
    case 'exhausted':
      throw new UnauthenticatedError('otp-attempts-exceeded', 'Too many wrong codes: request a new one.');
    case 'open':
      break;
  }
  // Count the try before comparing, so concurrent guesses cannot exceed the limit.
  const attempts = await deps.otps.countAttempt(request.accountNumber, phone, max);
  if (attempts === undefined || !record) {
    throw new UnauthenticatedError('otp-attempts-exceeded', 'Too many wrong codes: request a new one.');
  }
  const candidate = hashOtp(request.code, deps.keys.otp, request.accountNumber, phone);
  if (!codeMatches(record, candidate)) {
    const left = max - attempts;
    throw new UnauthenticatedError(
      left > 0 ? 'otp-invalid' : 'otp-attempts-exceeded',
      left > 0
        ? `The code is wrong; ${left} attempt${left === 1 ? '' : 's'} left.`
        : 'Too many wrong codes: request a new one.',
    );
  }
  if (!(await deps.otps.consume(request.accountNumber, phone, record.codeHash))) {
    throw new UnauthenticatedError('otp-invalid', 'The code has already been used.');
  }
  const iat = Math.floor(now / 1000);
  const expiresIn = config.auth.tokenTtlMinutes * 60;
  const claims: TokenClaims = {
    sub: request.accountNumber,
    aud: config.id,
    scope: 'account',
    iat,
    exp: iat + expiresIn,
  };
  return {
    accessToken: issueToken(claims, deps.keys.token),
    tokenType: 'Bearer',
    expiresIn,
    accountNumber: request.accountNumber,
  };
}

/** Reads an Authorization header value; throws 401-kind errors for a missing, bad or expired token. */
export function authenticate(
  deps: Pick<Deps, 'config' | 'clock' | 'keys'>,
  header: string | undefined,
): TokenClaims {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new UnauthenticatedError(
      'unauthenticated',
      'This request needs a bearer token from POST /auth/token.',
    );
  }
  const result = verifyToken(
    match[1],
    deps.keys.token,
    deps.config.id,
    Math.floor(deps.clock.now().getTime() / 1000),
  );
  if (!result.valid) {
    throw new UnauthenticatedError(
      result.reason === 'expired' ? 'token-expired' : 'invalid-token',
      result.reason === 'expired'
        ? 'The token has expired: request a new code.'
        : 'The bearer token is not valid.',
    );
  }
  return result.claims;
}
