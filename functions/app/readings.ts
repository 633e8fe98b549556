// Use cases: submit a meter reading (SMS or web, same rules) and list an account's readings.
import { randomUUID } from 'node:crypto';
import type { MeterKindConfig } from '#config/schema';
import { AppError } from '#domain/errors';
import { addMonths } from '#domain/period';
import { averageMonthlyUsage, checkReading, type Reading, readingWindow } from '#domain/reading';
import { accountNumberMatches } from './account-number.ts';
import type { Deps } from './ports.ts';

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
  /** Whole units in the meter's register order (day before night). */
  values: number[];
  source: 'sms' | 'web';
  /** The sending phone (SMS): checked against the account under the registered-only policy. */
  phone?: string;
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

type ReadingDeps = Pick<Deps, 'config' | 'clock' | 'accounts' | 'bills' | 'readings'>;

export async function submitReading(
  deps: ReadingDeps,
  submission: ReadingSubmission,
): Promise<ReadingAccepted> {
  const { config } = deps;
  const now = deps.clock.now();
  const { window } = config.readings;
  const { open, period } = readingWindow(now, config.timeZone, window);
  if (!open) {
    throw new ReadingRejected(
      'reading-window-closed',
      `Readings are taken from the ${window.startDay}th to the ${window.endDay}th of each month.`,
      { window },
    );
  }
  const account = accountNumberMatches(config, submission.accountNumber)
    ? await deps.accounts.get(submission.accountNumber)
    : undefined;
  if (!account) {
    throw new ReadingRejected('account-not-found', `There is no account ${submission.accountNumber}.`);
  }
  if (submission.source === 'sms' && config.readings.phonePolicy === 'registered-only') {
    if (!submission.phone || !(await deps.accounts.hasPhone(account.accountNumber, submission.phone))) {
      throw new ReadingRejected('phone-not-registered', 'This phone is not registered on the account.');
    }
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
  const kind = config.meterKinds.find((k) => k.kind === meter.kind);
  const digits = kind?.digits ?? 9;
  // Imports only take configured meter kinds; the fallbacks keep a reading acceptable regardless.
  const unit = kind?.unit ?? config.meterKinds[0]?.unit ?? 'm3';

  // A year back is enough to find the baseline (the last accepted reading of an earlier period).
  const recent = await deps.readings.recent(account.accountNumber, meter.id, addMonths(period, -12));
  const counted = recent.filter((r) => r.status !== 'superseded');
  const baseline = counted.find((r) => r.period < period);
  const sameWindow = counted.filter((r) => r.period === period);
  // The average only matters against a baseline: without one there is no consumption to judge.
  const average = baseline
    ? averageMonthlyUsage(
        (await deps.bills.list(account.accountNumber, { limit: config.estimation.averageMonths })).items,
        config.estimation.averageMonths,
      )
    : undefined;
  const check = checkReading({
    registers: meter.registers,
    digits,
    values: submission.values,
    ...(baseline ? { previous: baseline.values } : {}),
    ...(average === undefined ? {} : { averageMonthly: average }),
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
  const reading: Reading = {
    id: randomUUID(),
    accountNumber: account.accountNumber,
    meterId: meter.id,
    period,
    values: check.values,
    consumption: check.consumption,
    source: submission.source,
    status: check.flagged ? 'flagged' : 'accepted',
    submittedAt: now.toISOString(),
    ...(submission.messageId ? { messageId: submission.messageId } : {}),
    ...(submission.email ? { email: submission.email } : {}),
  };
  // The last reading in the window counts: earlier ones of this period are superseded.
  await deps.readings.add(reading, sameWindow);
  return { reading, flagged: check.flagged, unit };
}

export async function listReadings(
  deps: Pick<Deps, 'readings'>,
  request: { accountNumber: string; limit: number; cursor?: string },
): Promise<{ accountNumber: string; items: Reading[]; nextCursor: string | null }> {
  const page = await deps.readings.list(request.accountNumber, {
    limit: request.limit,
    ...(request.cursor ? { cursor: request.cursor } : {}),
  });
  return { accountNumber: request.accountNumber, items: page.items, nextCursor: page.cursor ?? null };
}
