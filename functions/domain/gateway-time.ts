// How far a domestic SMS gateway's clock is trusted: which time orders its message, and which dates are refused.
import { AppError } from './errors.ts';

/**
 * How long the inbound-message ledger (InboundLog) remembers a message id. Every gateway's replay window
 * ends before it (checked at config load), so a replay the window lets through is still a known id.
 */
export const INBOUND_LEDGER_RETENTION_DAYS = 14;

/** A gateway profile's `timestamps`: both in minutes. */
export interface GatewayTimestampRules {
  skewMinutes: number;
  replayWindowMinutes: number;
}

const MINUTE_MS = 60_000;
const LEDGER_RETENTION_MINUTES = INBOUND_LEDGER_RETENTION_DAYS * 24 * 60;

/**
 * How far ahead of our receipt a gateway's send time may lie and still be taken (as the receipt time): the
 * replay window, as far as the ledger allows. A claim is accepted on any receipt from this long before it to
 * the replay window after it, and the ledger must remember the id for the whole of that span, or the same
 * body could be accepted once, forgotten, and accepted again. With the default one-day window this is a day,
 * room for a clock in the wrong time zone; config load keeps the window plus the skew under the ledger's
 * retention, so it is never less than the skew.
 */
export function maxAheadMinutes(rules: GatewayTimestampRules): number {
  return Math.min(rules.replayWindowMinutes, LEDGER_RETENTION_MINUTES - rules.replayWindowMinutes - 1);
}

/**
 * The time that orders an inbound message (STOP against START), from the gateway's claimed send time and
 * our receipt time. The claim is kept only when it lies within `skewMinutes` before the receipt: that is
 * what orders messages that arrive close together but leave the queue out of order. Any other accepted
 * claim gives the receipt time: a time ahead of ours would outrank every later instruction (a STOP dated
 * 2100 would opt the phone out for good), and one far behind cannot be told from a clock set wrong.
 * `claimed` is undefined only when the gateway's profile maps no send time; then the receipt orders it.
 *
 * Refused (422), because such a body could be posted again once the inbound ledger has forgotten its id:
 * a claim older than `replayWindowMinutes` (a replay, or a delivery so late that the resident's instruction
 * may have been overtaken), and one further ahead than maxAheadMinutes (no clock drifts that far; a
 * future-dated body would stay fresh for as long as it is ahead).
 */
export function gatewaySentAt(
  claimed: Date | undefined,
  receivedAt: Date,
  rules: GatewayTimestampRules,
): Date {
  if (!claimed) return receivedAt;
  const age = receivedAt.getTime() - claimed.getTime();
  if (age > rules.replayWindowMinutes * MINUTE_MS) {
    // 422, not 400 or 401: the body is well-formed and correctly signed, but it will never be acted on, and
    // as a 4xx it tells the gateway that retrying (which only makes it older) is pointless.
    throw new AppError(
      'unprocessable',
      'stale-gateway-message',
      `The message was sent at ${claimed.toISOString()}, more than ${rules.replayWindowMinutes} minutes before it arrived.`,
      { sentAt: claimed.toISOString(), replayWindowMinutes: rules.replayWindowMinutes },
    );
  }
  const ahead = maxAheadMinutes(rules);
  if (-age > ahead * MINUTE_MS) {
    // Its own type: the gateway's clock (or how its time is written) needs fixing, which "stale" would not say.
    throw new AppError(
      'unprocessable',
      'gateway-clock-ahead',
      `The message says it was sent at ${claimed.toISOString()}, more than ${ahead} minutes after it arrived: check the gateway's clock and time zone.`,
      { sentAt: claimed.toISOString(), maxAheadMinutes: ahead },
    );
  }
  return age >= 0 && age <= rules.skewMinutes * MINUTE_MS ? claimed : receivedAt;
}

/** An ISO send time, or `now` when it is later than now (or unreadable): no future time orders instructions. */
export function notInFuture(sentAt: string, now: Date): string {
  return Date.parse(sentAt) <= now.getTime() ? sentAt : now.toISOString();
}
