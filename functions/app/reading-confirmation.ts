// Use cases: e-mail a confirmation for an accepted reading that came with an address (within its caps), and the
// web submission that stores a reading and confirms it.
import { localize, primaryLanguage } from '#config/schema';
import { readingConfirmationEmail } from '#domain/reading-email';
import { windowCounter } from './limits.ts';
import type { Deps } from './ports.ts';
import { type ReadingAccepted, type ReadingSubmission, submitReading } from './readings.ts';

type ConfirmationDeps = Pick<Deps, 'config' | 'clock' | 'email' | 'counters' | 'metrics'>;

/**
 * sent; capped (the account or the address had its share of confirmations in the window: anyone may type any
 * address into a reading, so the utility must not mail one without limit); failed (the provider refused:
 * the reading itself stays accepted); none (no address, or the utility sends no e-mail).
 */
export type Confirmation = { outcome: 'sent' | 'capped' | 'none' } | { outcome: 'failed'; error: unknown };

export async function confirmReading(
  deps: ConfirmationDeps,
  accepted: ReadingAccepted,
  language: string,
): Promise<Confirmation> {
  const { config } = deps;
  const { reading } = accepted;
  if (!reading.email || config.channels.email.provider === 'none') return { outcome: 'none' };
  const now = deps.clock.now().getTime();
  const caps = config.limits.confirmationEmails;
  // The address first: a capped address (the abuse: mail to a stranger) then spends nothing of the account's share.
  for (const [scope, id, limit] of [
    ['email-address', reading.email.toLowerCase(), caps.perAddress],
    ['email-account', reading.accountNumber, caps.perAccount],
  ] as const) {
    const at = windowCounter(scope, id, limit, now);
    if ((await deps.counters.increment(at.counter, limit.max, at.endsAt + 60_000)) === undefined) {
      deps.metrics.count('EmailCapped', {});
      return { outcome: 'capped' };
    }
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
    await deps.email.send({ to: reading.email, subject, text, purpose: 'reading-confirmation' });
  } catch (error) {
    return { outcome: 'failed', error };
  }
  deps.metrics.count('EmailSent', {});
  return { outcome: 'sent' };
}

export interface WebReadingStored {
  reading: ReadingAccepted['reading'];
  flagged: boolean;
  /** How to check for a leak, when the reading is flagged. */
  advice?: string;
  confirmationEmail: 'sent' | 'capped' | 'failed' | null;
  /** Why the e-mail failed, for the log: the reading is stored either way. */
  confirmationError?: unknown;
}

/** A reading from the web: stored under the SMS rules, then confirmed by e-mail if an address came with it. */
export async function submitWebReading(
  deps: Pick<Deps, 'config' | 'clock' | 'readings' | 'email' | 'counters' | 'metrics'>,
  submission: Omit<ReadingSubmission, 'source' | 'phone' | 'sentAt' | 'messageId'>,
): Promise<WebReadingStored> {
  const accepted = await submitReading(deps, { ...submission, source: 'web' });
  const language = primaryLanguage(deps.config);
  const confirmation = await confirmReading(deps, accepted, language);
  return {
    reading: accepted.reading,
    flagged: accepted.flagged,
    ...(accepted.flagged
      ? { advice: localize(deps.config, deps.config.readings.leakCheckText, language) }
      : {}),
    confirmationEmail: confirmation.outcome === 'none' ? null : confirmation.outcome,
    confirmationError: confirmation.outcome === 'failed' ? confirmation.error : undefined,
  };
}
