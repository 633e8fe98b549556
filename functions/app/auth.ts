// Use cases: send a one-time code to a registered phone, and exchange it for an account token.
import { primaryLanguage } from '#config/schema';
import { UnauthenticatedError, ValidationError } from '#domain/errors';
import { otpText } from '#domain/messages';
import { toE164 } from '#domain/phone';
import { issueToken, type TokenClaims, verifyToken } from '#domain/token';
import { checkAccountNumber } from './account-number.ts';
import { redeemCode, sendCode } from './one-time-codes.ts';
import type { Deps } from './ports.ts';

export function phoneOrThrow(config: Deps['config'], phone: string): string {
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
  const { config } = deps;
  checkAccountNumber(config, request.accountNumber, 'body.accountNumber');
  const phone = phoneOrThrow(config, request.phone);
  const registered = await deps.accounts.hasPhone(request.accountNumber, phone);
  const language = primaryLanguage(config);
  const utilityName = config.name[language] ?? config.id;
  const { expiresInSeconds } = await sendCode(deps, {
    subject: request.accountNumber,
    phone,
    deliver: registered,
    text: (code) => otpText(language, { utilityName, code, minutes: config.auth.otpTtlMinutes }),
  });
  return {
    status: 'accepted',
    message: 'If this phone is registered on the account, a code has been sent to it by SMS.',
    expiresInSeconds,
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

/** Signs a bearer token for one account or one subscription, for the configured time. */
export function grantToken(
  deps: Pick<Deps, 'config' | 'clock' | 'keys'>,
  scope: TokenClaims['scope'],
  subject: string,
): { accessToken: string; tokenType: 'Bearer'; expiresIn: number } {
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const expiresIn = deps.config.auth.tokenTtlMinutes * 60;
  const claims: TokenClaims = { sub: subject, aud: deps.config.id, scope, iat, exp: iat + expiresIn };
  return { accessToken: issueToken(claims, deps.keys.token), tokenType: 'Bearer', expiresIn };
}

export async function exchangeOtpForToken(
  deps: Pick<Deps, 'config' | 'clock' | 'otps' | 'keys'>,
  request: TokenRequest,
): Promise<TokenIssued> {
  checkAccountNumber(deps.config, request.accountNumber, 'body.accountNumber');
  const phone = phoneOrThrow(deps.config, request.phone);
  await redeemCode(deps, { subject: request.accountNumber, phone, code: request.code });
  return { ...grantToken(deps, 'account', request.accountNumber), accountNumber: request.accountNumber };
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
