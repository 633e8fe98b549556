// Use case: queue the reply to an inbound SMS, only to a domestic phone and within its daily share of replies.
import { localDay } from '#domain/calendar';
import { isDomestic } from '#domain/phone';
import type { SmsCommand } from '#domain/sms-command';
import { queueSms } from './outbound.ts';
import type { Deps } from './ports.ts';

const REPLIES_COUNTER = 'sms-replies-day';

export type ReplyOutcome = 'queued' | 'abroad' | 'daily-cap';

/**
 * Anyone can text the utility, and a sender number can be spoofed, so a reply goes only where the utility sends
 * anything (its own country) and at most `limits.smsRepliesPerPhonePerDay` times to one phone in a local day,
 * both checked before it is queued. A withheld reply is counted; the message it answers has been acted on all the
 * same. A queued reply leaves through the outbound sender, retried there if the provider is down; being a reply
 * (purpose `reply`), it goes to a phone that opted out and in the quiet hours alike (domain/outbound-purpose.ts).
 */
export async function queueReply(
  deps: Pick<Deps, 'config' | 'clock' | 'counters' | 'outbox' | 'outboundQueue' | 'metrics'>,
  phone: string,
  body: string,
  kind: SmsCommand['kind'],
): Promise<ReplyOutcome> {
  const { config } = deps;
  const withheld = (reason: Exclude<ReplyOutcome, 'queued'>) => {
    deps.metrics.count('SmsReplyWithheld', { reason });
    return reason;
  };
  if (!isDomestic(phone, config.country)) return withheld('abroad');
  const day = localDay(deps.clock.now(), config.timeZone);
  const counted = await deps.counters.increment(
    { scope: REPLIES_COUNTER, id: phone, window: day.date },
    config.limits.smsRepliesPerPhonePerDay,
    day.endsAt + 60_000,
  );
  if (counted === undefined) return withheld('daily-cap');
  await queueSms(deps, { to: phone, body, purpose: 'reply' });
  deps.metrics.count('SmsReplySent', { kind });
  return 'queued';
}
