// How far a domestic SMS gateway's clock is trusted: which time orders its message, and when a delivery is too old.
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

/**
 * The time that orders an inbound message (STOP against START), from the gateway's claimed send time and
 * our receipt time. The claim is kept only when it lies within `skewMinutes` before the receipt: that is
 * what orders messages that arrive close together but leave the queue out of order. Any other claim
 * gives the receipt time: a time ahead of ours would outrank every later instruction (a STOP dated 2100
 * would opt the phone out for good), and one far behind cannot be told from a clock set wrong. A message
 * without a readable claim is ordered by its receipt.
 *
 * A claim older than `replayWindowMinutes` is refused: it is a replay (which the ledger may have
 * forgotten) or a delivery so late that the resident's instruction may have been overtaken.
 */
export function gatewaySentAt(
  claimed: Date | undefined,
  receivedAt: Date,
  rules: GatewayTimestampRules,
): Date {
  if (!claimed || Number.isNaN(claimed.getTime())) return receivedAt;
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
  return age >= 0 && age <= rules.skewMinutes * MINUTE_MS ? claimed : receivedAt;
}

/** An ISO send time, or `now` when it is later than now (or unreadable): no future time orders instructions. */
export function notInFuture(sentAt: string, now: Date): string {
  return Date.parse(sentAt) <= now.getTime() ? sentAt : now.toISOString();
}
