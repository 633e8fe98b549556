// Use case: e-mail a confirmation for an accepted reading that came with an e-mail address.
import { localize } from '#config/schema';
import { readingConfirmationEmail } from '#domain/reading-email';
import type { Deps } from './ports.ts';
import type { ReadingAccepted } from './readings.ts';

/**
 * Sends the confirmation in the given language; undefined when the reading has no address or the utility
 * sends no e-mail (channels.email.provider "none"). A failed send throws: the reading itself stays accepted.
 */
export async function sendReadingConfirmation(
  deps: Pick<Deps, 'config' | 'email'>,
  accepted: ReadingAccepted,
  language: string,
): Promise<{ messageId: string } | undefined> {
  const { config } = deps;
  const { reading } = accepted;
  if (!reading.email || config.channels.email.provider === 'none') return undefined;
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
    ...(accepted.flagged ? { leakCheck: localize(config, config.readings.leakCheckText, language) } : {}),
  });
  return deps.email.send({ to: reading.email, subject, text, purpose: 'reading-confirmation' });
}
