// Which time orders a gateway's message: its own clock only near our receipt, never the future; stale or
// far-future deliveries refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GatewayTimestampRules,
  gatewaySentAt,
  INBOUND_LEDGER_RETENTION_DAYS,
  maxAheadMinutes,
  notInFuture,
} from '#domain/gateway-time';

const RECEIVED = new Date('2026-12-16T05:00:00.000Z');
const RULES = { skewMinutes: 5, replayWindowMinutes: 24 * 60 };
const MINUTE = 60_000;
const at = (offsetMs: number) => new Date(RECEIVED.getTime() + offsetMs);
/** Any timestamps rules config load accepts: the window longer than the skew, both under the ledger's retention. */
const validRules: fc.Arbitrary<GatewayTimestampRules> = fc
  .record({
    skewMinutes: fc.integer({ min: 0, max: 60 }),
    replayWindowMinutes: fc.integer({ min: 1, max: INBOUND_LEDGER_RETENTION_DAYS * 24 * 60 }),
  })
  .filter(
    (r) =>
      r.replayWindowMinutes > r.skewMinutes &&
      r.replayWindowMinutes + r.skewMinutes < INBOUND_LEDGER_RETENTION_DAYS * 24 * 60,
  );

describe('the time a gateway message is ordered by', () => {
  it.each([
    ['sent at the instant of receipt', 0],
    ['sent a second earlier', -1_000],
    ['sent exactly the skew earlier', -5 * MINUTE],
  ])('is the gateway’s own when it was %s', (_, offset) => {
    expect(gatewaySentAt(at(offset), RECEIVED, RULES)).toEqual(at(offset));
  });

  it.each([
    ['a millisecond ahead of our clock', 1],
    ['within the skew, but ahead of our clock', 4 * MINUTE],
    ['hours ahead (a clock in the wrong time zone)', 9 * 60 * MINUTE],
    ['exactly the replay window ahead', 24 * 60 * MINUTE],
    ['a millisecond more than the skew behind', -5 * MINUTE - 1],
    ['an hour behind', -60 * MINUTE],
    ['exactly the replay window behind', -24 * 60 * MINUTE],
  ])('is the receipt time when the gateway says %s', (_, offset) => {
    expect(gatewaySentAt(at(offset), RECEIVED, RULES)).toEqual(RECEIVED);
  });

  it('is the receipt time when the gateway’s profile maps no send time', () => {
    expect(gatewaySentAt(undefined, RECEIVED, RULES)).toEqual(RECEIVED);
  });

  it.each([
    ['a millisecond more than the replay window', -24 * 60 * MINUTE - 1],
    ['in 2020', new Date('2020-03-01T00:00:00Z').getTime() - RECEIVED.getTime()],
  ])('is refused, 422 stale-gateway-message, for a message sent %s before receipt', (_, offset) => {
    expect(() => gatewaySentAt(at(offset), RECEIVED, RULES)).toThrow(
      expect.objectContaining({
        kind: 'unprocessable',
        type: 'stale-gateway-message',
        extensions: { sentAt: at(offset).toISOString(), replayWindowMinutes: 24 * 60 },
      }),
    );
  });

  // A body dated in 2100 was clamped to its receipt time, so it never grew stale: captured once, it could be
  // posted again whenever the inbound ledger had forgotten its id, and be acted on again.
  it.each([
    ['a millisecond more than the replay window', 24 * 60 * MINUTE + 1],
    ['in the year 2100', new Date('2100-01-01T00:00:00Z').getTime() - RECEIVED.getTime()],
  ])('is refused, 422 gateway-clock-ahead, for a message dated %s ahead of receipt', (_, offset) => {
    expect(() => gatewaySentAt(at(offset), RECEIVED, RULES)).toThrow(
      expect.objectContaining({
        kind: 'unprocessable',
        type: 'gateway-clock-ahead',
        extensions: { sentAt: at(offset).toISOString(), maxAheadMinutes: 24 * 60 },
      }),
    );
  });

  it('follows the profile’s own skew and window', () => {
    const strict = { skewMinutes: 0, replayWindowMinutes: 10 };
    expect(gatewaySentAt(at(0), RECEIVED, strict)).toEqual(at(0));
    expect(gatewaySentAt(at(-1), RECEIVED, strict)).toEqual(RECEIVED);
    expect(gatewaySentAt(at(-10 * MINUTE), RECEIVED, strict)).toEqual(RECEIVED);
    expect(() => gatewaySentAt(at(-10 * MINUTE - 1), RECEIVED, strict)).toThrow(/more than 10 minutes/);
    expect(gatewaySentAt(at(10 * MINUTE), RECEIVED, strict)).toEqual(RECEIVED);
    expect(() => gatewaySentAt(at(10 * MINUTE + 1), RECEIVED, strict)).toThrow(/more than 10 minutes after/);
  });

  it('is, for any claim, never after the receipt nor more than the skew before it, or the claim is refused', () => {
    const instant = fc.integer({ min: 0, max: 8_000_000_000_000 });
    fc.assert(
      fc.property(instant, instant, validRules, (claimedMs, receivedMs, r) => {
        const received = new Date(receivedMs);
        const refused =
          receivedMs - claimedMs > r.replayWindowMinutes * MINUTE ||
          claimedMs - receivedMs > maxAheadMinutes(r) * MINUTE;
        let ordered: Date;
        try {
          ordered = gatewaySentAt(new Date(claimedMs), received, r);
        } catch {
          return refused;
        }
        return (
          !refused &&
          ordered.getTime() <= receivedMs &&
          ordered.getTime() >= receivedMs - r.skewMinutes * MINUTE &&
          (ordered.getTime() === claimedMs || ordered.getTime() === receivedMs)
        );
      }),
    );
  });
});

describe('how far ahead a gateway’s send time may be', () => {
  it('is the replay window, a day by default: room for a clock set to the wrong time zone', () => {
    expect(maxAheadMinutes(RULES)).toBe(24 * 60);
  });

  // A body is accepted on every receipt from maxAheadMinutes before its send time to the replay window after
  // it. Were that span as long as the ledger remembers an id, one body could be accepted on its first day,
  // forgotten, and accepted again on its last: so a long window leaves less room ahead.
  it('leaves, with a long window, only what the inbound ledger still covers', () => {
    const long = { skewMinutes: 5, replayWindowMinutes: 10 * 24 * 60 };
    expect(maxAheadMinutes(long)).toBe(4 * 24 * 60 - 1);
  });

  it('is, for any rules config load accepts, at least the skew, and one body is accepted over a span the ledger covers', () => {
    const ledgerMs = INBOUND_LEDGER_RETENTION_DAYS * 24 * 60 * MINUTE;
    fc.assert(
      fc.property(validRules, fc.integer({ min: 0, max: 8_000_000_000_000 }), (r, sentMs) => {
        const sent = new Date(sentMs);
        const first = sentMs - maxAheadMinutes(r) * MINUTE;
        const last = sentMs + r.replayWindowMinutes * MINUTE;
        const accepted = (receivedMs: number) => {
          try {
            gatewaySentAt(sent, new Date(receivedMs), r);
            return true;
          } catch {
            return false;
          }
        };
        return (
          maxAheadMinutes(r) >= r.skewMinutes &&
          accepted(first) &&
          accepted(last) &&
          !accepted(first - 1) &&
          !accepted(last + 1) &&
          last - first < ledgerMs
        );
      }),
    );
  });
});

describe('a send time as the inbound SMS consumer takes it', () => {
  const now = new Date('2026-12-16T05:00:00.000Z');

  it('is kept when it is not later than now', () => {
    expect(notInFuture('2026-12-16T04:59:59.000Z', now)).toBe('2026-12-16T04:59:59.000Z');
    expect(notInFuture('2026-12-16T05:00:00.000Z', now)).toBe('2026-12-16T05:00:00.000Z');
  });

  it('is now when it is later, or unreadable', () => {
    expect(notInFuture('2026-12-16T05:00:00.001Z', now)).toBe(now.toISOString());
    expect(notInFuture('2100-01-01T00:00:00.000Z', now)).toBe(now.toISOString());
    expect(notInFuture('2100-01-01T09:00:00+09:00', now)).toBe(now.toISOString());
    expect(notInFuture('soon', now)).toBe(now.toISOString());
  });
});
