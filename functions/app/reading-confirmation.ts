// Use cases: queue a confirmation e-mail for an accepted reading that came with an address (within its caps), and
// the web submission that stores a reading and confirms it.
import { localize } from '#config/schema';
import { localDay } from '#domain/calendar';
import { readingConfirmationEmail } from '#domain/reading-email';
import { queueEmail } from './outbound.ts';
import type { Counter, Deps } from './ports.ts';
import { refusalText, replyContext } from './reading-refusal-text.ts';
import { type ReadingAccepted, ReadingRejected, type ReadingSubmission, submitReading } from './readings.ts';

type ConfirmationDeps = Pick<Deps, 'config' | 'clock' | 'outbox' | 'outboundQueue' | 'counters' | 'metrics'>;

/**
 * queued (the outbound sender sends it, retrying while the provider is down); capped (the account or the address
 * had its share of confirmations that local day: anyone may type any address into a reading, so the utility must
 * not mail one without limit); failed (it could not be queued: the reading itself stays accepted); none (no
 * address, or the utility sends no e-mail). Caps are counted before it is queued, so a retried send counts nothing.
 * It is an answer to the resident's own reading, so the quiet hours do not hold it back (domain/outbound-purpose.ts).
 */
export type Confirmation = { outcome: 'queued' | 'capped' | 'none' } | { outcome: 'failed'; error: unknown };

export async function confirmReading(
  deps: ConfirmationDeps,
  accepted: ReadingAccepted,
  language: string,
): Promise<Confirmation> {
  const { config } = deps;
  const { reading } = accepted;
  if (!reading.email || config.channels.email.provider === 'none') return { outcome: 'none' };
  if (!(await countConfirmation(deps, reading.email, reading.accountNumber))) {
    deps.metrics.count('EmailCapped', {});
    return { outcome: 'capped' };
  }
  const { subject, text } = readingConfirmationEmail(language, {
    utilityName: localize(config, config.name, language),
    timeZone: config.timeZone,
    contactPhone: config.contactPhone,
    accountNumber: reading.accountNumber,
    period: reading.period,
    values: Object.entries(reading.values),
    unit: accepted.unit,
    source: reading.source,
    submittedAt: reading.submittedAt,
    leakCheck: accepted.flagged ? localize(config, config.readings.leakCheckText, language) : undefined,
  });
  try {
    await queueEmail(deps, { to: reading.email, subject, text, purpose: 'reading-confirmation' });
  } catch (error) {
    return { outcome: 'failed', error };
  }
  return { outcome: 'queued' };
}

/**
 * Counts one confirmation against both caps of the utility's local day, or neither. Both are checked before either
 * is counted: otherwise an account at its cap would still spend the allowance of whatever address it names (a
 * stranger's), and an address at its cap the account's. Two confirmations racing past the check can still count
 * one cap and find the other full; the check bounds that to the confirmations in flight at that moment.
 */
async function countConfirmation(
  deps: Pick<Deps, 'config' | 'clock' | 'counters'>,
  email: string,
  accountNumber: string,
): Promise<boolean> {
  const { config } = deps;
  const caps = config.limits.confirmationEmails;
  const day = localDay(deps.clock.now(), config.timeZone);
  const retainUntil = day.endsAt + 60_000;
  const limits: Array<[Counter, number]> = [
    [{ scope: 'email-address', id: email.toLowerCase(), window: day.date }, caps.perAddressPerDay],
    [{ scope: 'email-account', id: accountNumber, window: day.date }, caps.perAccountPerDay],
  ];
  const room = await Promise.all(
    limits.map(([counter, max]) => deps.counters.check(counter, max, retainUntil)),
  );
  if (room.includes(false)) return false;
  const counted = await Promise.all(
    limits.map(([counter, max]) => deps.counters.increment(counter, max, retainUntil)),
  );
  return !counted.includes(undefined);
}

/** What the web answer says of the confirmation e-mail (null: none was asked for, or the utility sends none). */
export const CONFIRMATION_EMAIL_STATES = ['queued', 'capped', 'failed'] as const;

export interface WebReadingStored {
  reading: ReadingAccepted['reading'];
  flagged: boolean;
  /** How to check for a leak, when the reading is flagged. */
  advice?: string;
  confirmationEmail: (typeof CONFIRMATION_EMAIL_STATES)[number] | null;
  /** Why the e-mail could not be queued, for the log: the reading is stored either way. */
  confirmationError?: unknown;
}

/**
 * A reading from the web: stored under the SMS rules, then its confirmation e-mail queued if an address came with
 * it, in the page's language. The answer never waits for the e-mail provider. A refusal carries
 * `localizedMessage`, the words the SMS reply uses for that rule, so a page says exactly what a text would.
 */
export async function submitWebReading(
  deps: Pick<Deps, 'config' | 'clock' | 'readings' | 'outbox' | 'outboundQueue' | 'counters' | 'metrics'>,
  submission: Omit<ReadingSubmission, 'source' | 'phone' | 'sentAt' | 'messageId'>,
  language: string,
): Promise<WebReadingStored> {
  const { config } = deps;
  let accepted: ReadingAccepted;
  try {
    accepted = await submitReading(deps, { ...submission, source: 'web' });
  } catch (error) {
    if (!(error instanceof ReadingRejected)) throw error;
    const context = replyContext(config, localize(config, config.name, language));
    const localizedMessage = refusalText(language, context, error, submission.accountNumber);
    throw localizedMessage === undefined
      ? error
      : new ReadingRejected(error.type, error.message, { ...error.extensions, localizedMessage });
  }
  const confirmation = await confirmReading(deps, accepted, language);
  return {
    reading: accepted.reading,
    flagged: accepted.flagged,
    ...(accepted.flagged ? { advice: localize(config, config.readings.leakCheckText, language) } : {}),
    confirmationEmail: confirmation.outcome === 'none' ? null : confirmation.outcome,
    confirmationError: confirmation.outcome === 'failed' ? confirmation.error : undefined,
  };
}
