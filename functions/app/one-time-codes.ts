// Sending and redeeming six-digit codes by SMS: the limits on who may ask how often, hashing, expiry, attempts.
import { randomBytes } from 'node:crypto';
import { localDay } from '#domain/calendar';
import { RateLimitedError, UnauthenticatedError, UnavailableError } from '#domain/errors';
import { codeMatches, decideSend, generateOtpCode, hashOtp, otpState, type SendLimit } from '#domain/otp';
import { secondsUntil } from '#domain/rate-window';
import { windowCounter } from './limits.ts';
import { queueSms } from './outbound.ts';
import type { Counter, Deps, SendLog } from './ports.ts';

const SEND_LOG_RETRIES = 3;

export type CodeDeps = Pick<
  Deps,
  'config' | 'clock' | 'otps' | 'keys' | 'counters' | 'outbox' | 'outboundQueue' | 'metrics'
>;

export interface CodeToSend {
  /** What the code will open: an account number, or `subscription:<id>`. */
  subject: string;
  /** The account the code is for: every per-phone limit counts the (account, phone) pair. */
  accountNumber: string;
  /** E.164. */
  phone: string;
  /** The address the request came from (API Gateway's source IP). */
  client: string;
  /** login and sign-up go to registered phones; household codes go to any phone the account holder types. */
  purpose: 'login' | 'sign-up' | 'household';
  /**
   * False for an unregistered phone or an unknown account: an unusable decoy is stored and queued, nothing is sent,
   * and every limit, answer and store call is the same as for a real code, so nothing tells the two apart.
   */
  deliver: boolean;
  text: (code: string) => string;
}

/** What each limit counts, by the key the counter store keeps it under. */
const COUNTERS = {
  client: 'code-client',
  household: 'code-household-day',
  day: 'code-sms-day',
  pairDay: 'code-pair-day',
  wrongCodes: 'code-wrong-day',
} as const;

const pairKey = (accountNumber: string, phone: string) => `${accountNumber}|${phone}`;

function limitsOf(
  deps: Pick<Deps, 'config'>,
  request: Pick<CodeToSend, 'accountNumber' | 'phone'>,
  now: Date,
) {
  const { config } = deps;
  const day = localDay(now, config.timeZone);
  const pair = pairKey(request.accountNumber, request.phone);
  const today = (scope: string, id: string): Counter => ({ scope, id, window: day.date });
  return {
    day,
    pair,
    wrongCodes: today(COUNTERS.wrongCodes, pair),
    pairDay: today(COUNTERS.pairDay, pair),
    ceiling: today(COUNTERS.day, config.id),
    household: today(COUNTERS.household, request.accountNumber),
    /** Wrong codes that lock the pair for the rest of the day: the rounds' worth of attempts. */
    lockAt: config.auth.maxFailedRoundsPerDay * config.auth.otpMaxAttempts,
    retainDay: day.endsAt + 60_000,
  };
}

/**
 * Checks every limit, stores the code's hash and queues the SMS. `prepare` runs once every limit has admitted the
 * request and before anything is stored or queued (a sign-up stores its pending subscription there), so a refused
 * request leaves nothing behind and no code goes out for a record that failed to be written.
 *
 * Every per-phone limit counts the exact (account, phone) pair the request names, and real requests and decoys
 * count them alike: so no answer, Retry-After or time tells a registered phone from another, and strangers asking
 * for codes to someone's number with other accounts cannot use up what the owner's own account allows. Refusals,
 * in order: the pair locked for the day after too many wrong codes (429 otp-locked); the client address over its
 * limit (429); the utility's daily ceiling of code SMS reached (503, an alarm goes off); the pair's codes of the
 * day (429 otp-daily-limit); its sliding window (429 otp-rate-limited); for household codes, the account's of the
 * day (429 account-rate-limited).
 */
export async function sendCode(
  deps: CodeDeps,
  request: CodeToSend,
  prepare?: () => Promise<void>,
): Promise<{ expiresInSeconds: number }> {
  const { config } = deps;
  const now = deps.clock.now();
  const at = now.getTime();
  const limits = limitsOf(deps, request, now);
  const untilMidnight = secondsUntil(limits.day.endsAt, at);
  const refused = (reason: string) => deps.metrics.count('CodeRefused', { reason });
  const ceilingReached = () => {
    refused('daily-ceiling');
    // What the operators' alarm watches: every code the ceiling stops.
    deps.metrics.count('CodeSmsCeilingReached', {});
    return new UnavailableError(
      'sms-ceiling-reached',
      `No more codes can be sent today: try again after midnight, or call ${config.contactPhone}.`,
      untilMidnight,
    );
  };

  // Every request counts against its client address, whatever else refuses it; the two reads go alongside.
  const clientLimit = config.limits.clientCodeRequests;
  const client = windowCounter(COUNTERS.client, request.client, clientLimit, at);
  const [wrongCodes, sentToday, clientCount] = await Promise.all([
    deps.counters.get(limits.wrongCodes),
    deps.counters.get(limits.ceiling),
    deps.counters.increment(client.counter, clientLimit.max, client.endsAt + 60_000),
  ]);
  if (wrongCodes >= limits.lockAt) {
    refused('locked');
    throw new RateLimitedError(
      'otp-locked',
      'Too many wrong codes for this phone on this account today: new codes can be asked for after midnight.',
      untilMidnight,
    );
  }
  if (clientCount === undefined) {
    refused('client');
    throw new RateLimitedError(
      'client-rate-limited',
      `Too many code requests from this address: at most ${clientLimit.max} in ${clientLimit.windowMinutes} minutes.`,
      secondsUntil(client.endsAt, at),
    );
  }
  if (sentToday >= config.limits.dailyCodeSms) throw ceilingReached();
  if (
    (await deps.counters.increment(limits.pairDay, config.auth.otpMaxPerDay, limits.retainDay)) === undefined
  ) {
    refused('pair-day');
    throw new RateLimitedError(
      'otp-daily-limit',
      `No more than ${config.auth.otpMaxPerDay} codes go to one phone for one account in a day: try again after midnight.`,
      untilMidnight,
    );
  }
  const window = {
    maxPerWindow: config.auth.otpMaxPerPhone,
    windowMs: config.auth.otpRateWindowMinutes * 60_000,
  };
  await appendToSendLog(deps, limits.pair, window, at, refused);
  if (request.purpose === 'household') {
    const max = config.limits.householdCodesPerDay;
    if ((await deps.counters.increment(limits.household, max, limits.retainDay)) === undefined) {
      refused('household');
      throw new RateLimitedError(
        'account-rate-limited',
        `No more than ${max} codes go to phones added to one account in a day: try again after midnight.`,
        untilMidnight,
      );
    }
  }
  // A real code counts towards the day's ceiling; a decoy meets it with a write of the same kind that counts nothing.
  const ceilingAdmitted = request.deliver
    ? (await deps.counters.increment(limits.ceiling, config.limits.dailyCodeSms, limits.retainDay)) !==
      undefined
    : await deps.counters.check(limits.ceiling, config.limits.dailyCodeSms, limits.retainDay);
  if (!ceilingAdmitted) throw ceilingReached();

  await prepare?.();
  const code = generateOtpCode();
  const ttlMs = config.auth.otpTtlMinutes * 60_000;
  // A decoy's hash is of 32 random bytes, which no six-digit code can match.
  const hashed = request.deliver ? code : randomBytes(32).toString('hex');
  await deps.otps.put(
    {
      subject: request.subject,
      phone: request.phone,
      codeHash: hashOtp(hashed, deps.keys.otp, request.subject, request.phone),
      expiresAt: at + ttlMs,
      attempts: 0,
    },
    at + ttlMs,
  );
  await queueSms(deps, {
    to: request.phone,
    body: request.text(request.deliver ? code : generateOtpCode()),
    purpose: 'otp',
    decoy: !request.deliver,
    notAfter: new Date(at + ttlMs),
  });
  deps.metrics.count(request.deliver ? 'CodeSent' : 'CodeDecoy', { purpose: request.purpose });
  return { expiresInSeconds: ttlMs / 1000 };
}

/**
 * Adds `now` to the pair's sliding-window log, or refuses (429 otp-rate-limited) when it is full; a concurrent
 * writer makes it read the log again.
 */
async function appendToSendLog(
  deps: Pick<Deps, 'otps'>,
  key: string,
  limit: SendLimit,
  now: number,
  refused: (reason: string) => void,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const log: SendLog = await deps.otps.getSendLog(key);
    const decision = decideSend(log.sentAt, now, limit);
    if (!decision.admitted) {
      refused('phone');
      throw new RateLimitedError(
        'otp-rate-limited',
        `No more than ${limit.maxPerWindow} codes may be sent to one phone in ${limit.windowMs / 60_000} minutes.`,
        decision.retryAfterSeconds,
      );
    }
    if (await deps.otps.putSendLog(key, decision.sentAt, log.version, now + limit.windowMs)) return;
    if (attempt >= SEND_LOG_RETRIES) {
      throw new RateLimitedError('otp-rate-limited', 'Too many codes are being requested for this phone.', 5);
    }
  }
}

const exhausted = () =>
  new UnauthenticatedError('otp-attempts-exceeded', 'Too many wrong codes: request a new one.');

/**
 * Accepts the code once, or throws otp-invalid / otp-expired / otp-attempts-exceeded (401). Every wrong code
 * counts towards the day's lock of the (account, phone).
 */
export async function redeemCode(
  deps: Pick<Deps, 'config' | 'clock' | 'otps' | 'keys' | 'counters'>,
  request: { subject: string; accountNumber: string; phone: string; code: string },
): Promise<void> {
  const { subject, phone } = request;
  const max = deps.config.auth.otpMaxAttempts;
  const now = deps.clock.now();
  const record = await deps.otps.get(subject, phone);
  switch (otpState(record, now.getTime(), max)) {
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
    const limits = limitsOf(deps, request, now);
    await deps.counters.increment(limits.wrongCodes, Number.MAX_SAFE_INTEGER, limits.retainDay);
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
