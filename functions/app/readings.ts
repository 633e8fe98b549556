// Use cases: submit a meter reading (SMS or web, same rules) and list an account's readings.
import { randomUUID } from 'node:crypto';
import type { MeterKindConfig } from '#config/schema';
import { localDate } from '#domain/calendar';
import { AppError, ConflictError } from '#domain/errors';
import {
  averageMonthlyUsage,
  checkReading,
  lastKnownReading,
  type Reading,
  readingWindow,
  windowChange,
} from '#domain/reading';
import { fanOutShard } from '#domain/subscription';
import { accountNumberMatches } from './account-number.ts';
import type { Deps, ReadingContext } from './ports.ts';

/** A reading that cannot be accepted; `type` names the rule, for problem+json and for SMS replies. */
export class ReadingRejected extends AppError {
  constructor(type: string, message: string, extensions: Record<string, unknown> = {}) {
    super('unprocessable', type, message, extensions);
    this.name = 'ReadingRejected';
  }
}

export interface ReadingSubmission {
  accountNumber: string;
  /** Required only for an account with several meters (web); SMS is for single-meter accounts. */
  meterId?: string;
  /** Whole units in the meter's register order (day before night), or by register name (imports). */
  values: number[] | Record<string, number>;
  source: 'sms' | 'web';
  /** The sending phone (SMS): checked against the account under the registered-only policy. */
  phone?: string;
  /** When the resident sent it (SMS; ISO): decides its window and which reading of the window counts. */
  sentAt?: string;
  /** The inbound message (SMS): recorded as done in the same write as the reading, so it counts once. */
  messageId?: string;
  email?: string;
}

export interface ReadingAccepted {
  reading: Reading;
  /** Consumption far above the monthly average: accepted, and the resident is asked to check for a leak. */
  flagged: boolean;
  /** The meter's unit, for confirmations. */
  unit: MeterKindConfig['unit'];
}

/** The inbound message of the reading was already processed (a redelivery): nothing was written. */
export class DuplicateMessage extends Error {
  override name = 'DuplicateMessage';
}

type ReadingDeps = Pick<Deps, 'config' | 'clock' | 'readings' | 'metrics'>;
type StoreDeps = Pick<Deps, 'config' | 'clock' | 'readings'>;

/**
 * Concurrent readings of one window take turns on its guard (every write changes it); a reading that lost its turn
 * reads again after a random pause that doubles up to a ceiling, so a burst spreads out instead of colliding again.
 * At most about two seconds of pauses, well inside a function's timeout.
 */
const WRITE_ATTEMPTS = 10;
const pauseBefore = (attempt: number) => Math.random() * Math.min(320, 20 * 2 ** (attempt - 1));

/**
 * Checks a reading against the rules and stores it: one read of the account (everything the rules need), one
 * write (the reading, the reading it supersedes, the window's guard and, for SMS, the message's done mark).
 * The last reading sent in a window counts; under concurrency exactly one does.
 */
export async function submitReading(
  deps: ReadingDeps,
  submission: ReadingSubmission,
): Promise<ReadingAccepted> {
  try {
    const accepted = await storeReading(deps, submission);
    deps.metrics.count('ReadingAccepted', { source: submission.source });
    if (accepted.flagged) deps.metrics.count('ReadingFlagged', { source: submission.source });
    return accepted;
  } catch (error) {
    if (error instanceof ReadingRejected) deps.metrics.count('ReadingRejected', { reason: error.type });
    throw error;
  }
}

async function storeReading(deps: ReadingDeps, submission: ReadingSubmission): Promise<ReadingAccepted> {
  const { config } = deps;
  const sentAt = submission.sentAt ? new Date(submission.sentAt) : deps.clock.now();
  const { window } = config.readings;
  const { open, period } = readingWindow(sentAt, config.timeZone, window);
  if (!open) {
    throw new ReadingRejected(
      'reading-window-closed',
      `Readings are taken from the ${window.startDay}th to the ${window.endDay}th of each month.`,
      { window },
    );
  }
  return storeReadingAt(deps, submission, {
    period,
    sentAt,
    readDate: localDate(sentAt, config.timeZone),
    limitWindow: true,
  });
}

/** Where a reading goes: its window period, when it was sent or taken, and whether the window's cap applies. */
export interface ReadingPlacement {
  period: string;
  sentAt: Date;
  /** The local date it was taken: bills' readings printed after it are not what it is measured against. */
  readDate: string;
  /** Residents' readings are capped per window; staff imports are not. */
  limitWindow: boolean;
  /** A fixed id for the meter's reading (imports: the same row makes the same reading); absent: a new one. */
  idFor?: (meterId: string) => string;
}

/**
 * The rules and the one write of `submitReading`, for a reading already placed in its window. With a fixed `id`
 * that the account already holds, nothing is written and that reading comes back as `alreadyStored`.
 */
export async function storeReadingAt(
  deps: StoreDeps,
  submission: Omit<ReadingSubmission, 'source'> & { source: Reading['source'] },
  placement: ReadingPlacement,
): Promise<ReadingAccepted & { alreadyStored?: Reading }> {
  const { config } = deps;
  const { period, sentAt } = placement;
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const context = accountNumberMatches(config, submission.accountNumber)
      ? await deps.readings.context(submission.accountNumber)
      : undefined;
    const { account, meter, unit, check, window } = judge(deps, submission, context, placement);
    const id = placement.idFor?.(meter.id) ?? randomUUID();
    const earlier = context?.readings.find((r) => r.id === id);
    if (earlier) return { reading: earlier, flagged: false, unit, alreadyStored: earlier };
    const reading: Reading = {
      id,
      accountNumber: account.accountNumber,
      meterId: meter.id,
      period,
      values: check.values,
      consumption: check.consumption,
      source: submission.source,
      status: check.flagged ? 'flagged' : 'accepted',
      submittedAt: sentAt.toISOString(),
      messageId: submission.messageId,
      email: submission.email,
    };
    const guard = context?.windows.find((w) => w.meterId === meter.id && w.period === period);
    const change = windowChange(window, guard, reading);
    const stored: Reading = change?.counts === false ? { ...reading, status: 'superseded' } : reading;
    const counting = change?.counts ? stored : window.find((r) => r.id === change?.counting);
    const result =
      change && counting
        ? await deps.readings.add(stored, {
            supersedes: change.supersedes,
            expectedCounting: guard?.readingId ?? null,
            expectedCount: guard?.count,
            counting: change.counting,
            // A guard from before it counted is taken to count what the (consistent) read returned.
            count: (guard?.count ?? window.length) + 1,
            inboundMessageId: submission.messageId,
            now: now.getTime(),
            countingReading: {
              values: counting.values,
              readAt: localDate(new Date(counting.submittedAt), config.timeZone),
              source: counting.source,
            },
            shard: fanOutShard(account.accountNumber, config.subscriptions.fanOutShards),
          })
        : 'conflict';
    if (result === 'added') return { reading: stored, flagged: check.flagged, unit };
    if (result === 'duplicate') throw new DuplicateMessage(`message ${submission.messageId} was processed`);
    if (attempt >= WRITE_ATTEMPTS) {
      throw new ConflictError(
        'reading-busy',
        'Other readings of this meter are being stored right now: send it again.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pauseBefore(attempt)));
  }
}

/**
 * The rules that decide on a reading, from what the account holds: which meter, whether its window has room, and
 * the checked values; with the readings the window holds so far.
 */
function judge(
  deps: Pick<Deps, 'config'>,
  submission: Omit<ReadingSubmission, 'source'> & { source: Reading['source'] },
  context: ReadingContext | undefined,
  placement: Pick<ReadingPlacement, 'period' | 'readDate' | 'limitWindow'>,
) {
  const { config } = deps;
  const { period, readDate } = placement;
  const account = context?.account;
  // Under the registered-only policy a phone that may not send learns nothing more: whether the account is
  // missing or the phone is not on it, the answer is the same.
  if (submission.source === 'sms' && config.readings.phonePolicy === 'registered-only') {
    if (!account || !submission.phone || !account.phones.includes(submission.phone)) {
      throw new ReadingRejected('phone-not-registered', 'This phone is not registered on the account.');
    }
  }
  if (!account || !context) {
    throw new ReadingRejected('account-not-found', `There is no account ${submission.accountNumber}.`);
  }
  let meter = account.meters[0];
  if (submission.meterId !== undefined) {
    meter = account.meters.find((m) => m.id === submission.meterId);
    if (!meter)
      throw new ReadingRejected('meter-not-found', `The account has no meter ${submission.meterId}.`);
  } else if (account.meters.length > 1) {
    throw new ReadingRejected(
      'account-multiple-meters',
      'The account has more than one meter: send each meter’s reading on the website.',
      { meters: account.meters.map((m) => m.id) },
    );
  }
  if (!meter) throw new ReadingRejected('meter-not-found', 'The account has no meter.');
  // Every reading reads the account's whole history: a window that takes any number of readings would let one
  // token or one registered phone make every later reading of the account cost more, without bound.
  const window = context.readings.filter((r) => r.meterId === meter.id && r.period === period);
  const max = config.readings.maxPerWindow;
  if (placement.limitWindow && window.length >= max) {
    throw new ReadingRejected(
      'reading-window-full',
      `This meter has had its ${max} readings for ${period}: the last one accepted counts.`,
      { max },
    );
  }
  const kind = config.meterKinds.find((k) => k.kind === meter.kind);
  const digits = kind?.digits ?? 9;
  // Imports only take configured meter kinds; the fallbacks keep a reading acceptable regardless.
  const unit = kind?.unit ?? config.meterKinds[0]?.unit ?? 'm3';
  const baseline = lastKnownReading(context, meter.id, period, readDate, config.timeZone);
  // The average only matters against a baseline: without one there is no consumption to judge.
  const average = baseline
    ? averageMonthlyUsage(
        context.bills.slice(0, config.estimation.averageMonths),
        config.estimation.averageMonths,
      )
    : undefined;
  const check = checkReading({
    registers: meter.registers,
    digits,
    values: inRegisterOrder(submission.values, meter.registers),
    previous: baseline?.values,
    averageMonthly: average,
    plausibilityFactor: config.readings.plausibilityFactor,
    allowRollover: config.readings.allowRollover,
  });
  if (!check.ok) {
    const problem = check.problem;
    switch (problem.code) {
      case 'register-count':
        throw new ReadingRejected(
          'reading-register-count',
          `This meter takes ${problem.expected.length} reading${problem.expected.length > 1 ? 's' : ''} (${problem.expected.join(', ')}).`,
          { registers: problem.expected },
        );
      case 'too-many-digits':
        throw new ReadingRejected(
          'reading-too-many-digits',
          `The meter shows at most ${problem.digits} digits.`,
          {
            digits: problem.digits,
          },
        );
      case 'below-previous':
        throw new ReadingRejected(
          'reading-below-previous',
          `The ${problem.register} reading ${problem.value} is below the previous one, ${problem.previous}.`,
          { register: problem.register, value: problem.value, previous: problem.previous },
        );
    }
  }
  return { account, meter, unit, check, window };
}

/**
 * Values by register name in the meter's order; names that are not exactly the meter's registers give a list one
 * longer than the registers, which the rules refuse as a register-count problem naming them.
 */
function inRegisterOrder(values: number[] | Record<string, number>, registers: string[]): number[] {
  if (Array.isArray(values)) return values;
  const names = Object.keys(values);
  const fits = names.length === registers.length && registers.every((r) => r in values);
  return fits ? registers.map((r) => values[r] as number) : new Array<number>(registers.length + 1).fill(0);
}

export async function listReadings(
  deps: Pick<Deps, 'readings'>,
  request: { accountNumber: string; limit: number; cursor?: string },
): Promise<{ accountNumber: string; items: Reading[]; nextCursor: string | null }> {
  const page = await deps.readings.list(request.accountNumber, {
    limit: request.limit,
    cursor: request.cursor,
  });
  return { accountNumber: request.accountNumber, items: page.items, nextCursor: page.cursor ?? null };
}
