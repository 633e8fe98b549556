// Sending and redeeming six-digit codes by SMS: the limits on who may ask how often, hashing, expiry, attempts.
import { randomBytes } from 'node:crypto';
import { localDay } from '#domain/calendar';
import { RateLimitedError, UnauthenticatedError, UnavailableError } from '#domain/errors';
import { codeMatches, decideSend, generateOtpCode, hashOtp, otpState, type SendLimit } from '#domain/otp';
import { secondsUntil } from '#domain/rate-window';
import { windowCounter } from './limits.ts';
import { queueSms } from './outbound.ts';
import type { Deps, SendLog } from './ports.ts';

const SEND_LOG_RETRIES = 3;

export type CodeDeps = Pick<
  Deps,
  'config' | 'clock' | 'otps' | 'keys' | 'counters' | 'outbox' | 'outboundQueue' | 'metrics'
>;

export interface CodeToSend {
  /** What the code will open: an account number, or `subscription:<id>`. */
  subject: string;
  /** The account the code is for: its limits and the day's lock count per (account, phone). */
  accountNumber: string;
  /** E.164. */
  phone: string;
  /** The address the request came from (API Gateway's source IP). */
  client: string;
  purpose: 'login' | 'sign-up';
  /**
   * False for an unregistered phone or an unknown account: an unusable decoy is stored and queued, nothing is sent,
   * and every limit, answer and store call is the same as for a real code, so nothing tells the two apart.
   */
  deliver: boolean;
  text: (code: string) => string;
}

/** What each limit counts, by the key the counter store (or the send log) keeps it under. */
const COUNTERS = {
  client: 'code-client',
  account: 'code-account',
  day: 'code-sms-day',
  failedRounds: 'code-failed-rounds',
} as const;

const pairKey = (accountNumber: string, phone: string) => `${accountNumber}|${phone}`;

/**
 * Checks every limit, stores the code's hash and queues the SMS. Refusals, in order: the (account, phone) locked
 * for the day after too many failed rounds (429); the client address over its limit (429); the utility's daily
 * ceiling of code SMS reached (503, an alarm goes off); the phone over its sliding-window allowance, or the
 * account over its codes (429). Requests that send nothing are counted apart from the phone's allowance, so
 * strangers asking for codes to someone's number cannot keep its owner from getting one.
 */
export async function sendCode(deps: CodeDeps, request: CodeToSend): Promise<{ expiresInSeconds: number }> {
  const { config } = deps;
  const now = deps.clock.now();
  const at = now.getTime();
  const day = localDay(now, config.timeZone);
  const pair = pairKey(request.accountNumber, request.phone);
  const refused = (reason: string) => deps.metrics.count('CodeRefused', { reason });
  // A real request and a decoy make the same store calls, of the same kinds, in the same order: only what they
  // count differs. So neither the answer nor the time it takes tells a registered phone from another.
  const lock = { counter: { scope: COUNTERS.failedRounds, id: pair, window: day.date }, endsAt: day.endsAt };
  const ceiling = { counter: { scope: COUNTERS.day, id: config.id, window: day.date }, endsAt: day.endsAt };
  const ceilingReached = (retryAfter: number) => {
    refused('daily-ceiling');
    // What the operators' alarm watches: every code the ceiling stops.
    deps.metrics.count('CodeSmsCeilingReached', {});
    return new UnavailableError(
      'sms-ceiling-reached',
      `No more codes can be sent today: try again after midnight, or call ${config.contactPhone}.`,
      retryAfter,
    );
  };
  // Every request counts against its client address, whatever else refuses it; the two reads go alongside.
  const clientLimit = config.limits.clientCodeRequests;
  const client = windowCounter(COUNTERS.client, request.client, clientLimit, at);
  const [failedRounds, sentToday, clientCount] = await Promise.all([
    deps.counters.get(lock.counter),
    deps.counters.get(ceiling.counter),
    deps.counters.increment(client.counter, clientLimit.max, client.endsAt + 60_000),
  ]);
  if (failedRounds >= config.auth.maxFailedRoundsPerDay) {
    refused('locked');
    throw new RateLimitedError(
      'otp-locked',
      'Too many wrong codes for this phone on this account today: new codes can be asked for after midnight.',
      secondsUntil(day.endsAt, at),
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
  if (sentToday >= config.limits.dailyCodeSms) throw ceilingReached(secondsUntil(day.endsAt, at));

  // The phone's allowance counts codes really sent. A decoy must pass it too (without adding to it), so the
  // answers match, and is counted in a log of its own per (account, phone) with the same sliding window.
  const limit = {
    maxPerWindow: config.auth.otpMaxPerPhone,
    windowMs: config.auth.otpRateWindowMinutes * 60_000,
  };
  const decoyKey = `decoy|${pair}`;
  const [phoneLog, decoyLog] = await Promise.all([
    deps.otps.getSendLog(request.phone),
    deps.otps.getSendLog(decoyKey),
  ]);
  refuseIfFull(phoneLog, limit, at, refused);
  if (!request.deliver) refuseIfFull(decoyLog, limit, at, refused);
  await appendToSendLog(
    deps,
    request.deliver ? request.phone : decoyKey,
    request.deliver ? phoneLog : decoyLog,
    limit,
    at,
    refused,
  );

  const accountLimit = config.limits.accountCodes;
  const accountCodes = windowCounter(COUNTERS.account, request.accountNumber, accountLimit, at);
  const retainAccount = accountCodes.endsAt + 60_000;
  const retainDay = day.endsAt + 60_000;
  const accountAdmitted = request.deliver
    ? (await deps.counters.increment(accountCodes.counter, accountLimit.max, retainAccount)) !== undefined
    : await deps.counters.check(accountCodes.counter, accountLimit.max, retainAccount);
  if (!accountAdmitted) {
    refused('account');
    throw new RateLimitedError(
      'account-rate-limited',
      `Too many codes were sent for this account: at most ${accountLimit.max} in ${accountLimit.windowMinutes} minutes.`,
      secondsUntil(accountCodes.endsAt, at),
    );
  }
  const ceilingAdmitted = request.deliver
    ? (await deps.counters.increment(ceiling.counter, config.limits.dailyCodeSms, retainDay)) !== undefined
    : await deps.counters.check(ceiling.counter, config.limits.dailyCodeSms, retainDay);
  if (!ceilingAdmitted) throw ceilingReached(secondsUntil(day.endsAt, at));

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

function phoneLimitRefusal(limit: SendLimit, retryAfter: number): RateLimitedError {
  return new RateLimitedError(
    'otp-rate-limited',
    `No more than ${limit.maxPerWindow} codes may be sent to one phone in ${limit.windowMs / 60_000} minutes.`,
    retryAfter,
  );
}

function refuseIfFull(
  log: { sentAt: number[] },
  limit: SendLimit,
  now: number,
  refused: (reason: string) => void,
): void {
  const decision = decideSend(log.sentAt, now, limit);
  if (!decision.admitted) {
    refused('phone');
    throw phoneLimitRefusal(limit, decision.retryAfterSeconds);
  }
}

/**
 * Adds `now` to the sliding-window log under `key`, read just before as `log`, or refuses (429) when it is full;
 * a concurrent writer makes it read the log again.
 */
async function appendToSendLog(
  deps: Pick<Deps, 'otps'>,
  key: string,
  log: SendLog,
  limit: SendLimit,
  now: number,
  refused: (reason: string) => void,
): Promise<void> {
  let current = log;
  for (let attempt = 1; ; attempt++) {
    const decision = decideSend(current.sentAt, now, limit);
    if (!decision.admitted) {
      refused('phone');
      throw phoneLimitRefusal(limit, decision.retryAfterSeconds);
    }
    if (await deps.otps.putSendLog(key, decision.sentAt, current.version, now + limit.windowMs)) return;
    if (attempt >= SEND_LOG_RETRIES) {
      throw new RateLimitedError('otp-rate-limited', 'Too many codes are being requested for this phone.', 5);
    }
    current = await deps.otps.getSendLog(key);
  }
}

const exhausted = () =>
  new UnauthenticatedError('otp-attempts-exceeded', 'Too many wrong codes: request a new one.');

/**
 * Accepts the code once, or throws otp-invalid / otp-expired / otp-attempts-exceeded (401). A round that ends in
 * too many wrong codes counts towards the day's lock of the (account, phone).
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
    const left = max - attempts;
    if (left > 0) {
      throw new UnauthenticatedError(
        'otp-invalid',
        `The code is wrong; ${left} attempt${left === 1 ? '' : 's'} left.`,
      );
    }
    // Exactly one request sees the last attempt counted: the round is counted once.
    const day = localDay(now, deps.config.timeZone);
    await deps.counters.increment(
      { scope: COUNTERS.failedRounds, id: pairKey(request.accountNumber, phone), window: day.date },
      Number.MAX_SAFE_INTEGER,
      day.endsAt + 60_000,
    );
    throw exhausted();
  }
  if (!(await deps.otps.consume(subject, phone, record.codeHash))) {
    throw new UnauthenticatedError('otp-invalid', 'The code has already been used.');
  }
}
