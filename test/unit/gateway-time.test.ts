// Which time orders a gateway's message: its own clock only near our receipt, never the future; stale deliveries refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatewaySentAt, notInFuture } from '#domain/gateway-time';

const RECEIVED = new Date('2026-12-16T05:00:00.000Z');
const RULES = { skewMinutes: 5, replayWindowMinutes: 24 * 60 };
const MINUTE = 60_000;
const at = (offsetMs: number) => new Date(RECEIVED.getTime() + offsetMs);

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
    ['in the year 2100', new Date('2100-01-01T00:00:00Z').getTime() - RECEIVED.getTime()],
    ['a millisecond more than the skew behind', -5 * MINUTE - 1],
    ['an hour behind', -60 * MINUTE],
    ['exactly the replay window behind', -24 * 60 * MINUTE],
  ])('is the receipt time when the gateway says %s', (_, offset) => {
    expect(gatewaySentAt(at(offset), RECEIVED, RULES)).toEqual(RECEIVED);
  });

  it('is the receipt time when the gateway gives none, or one that is no date', () => {
    expect(gatewaySentAt(undefined, RECEIVED, RULES)).toEqual(RECEIVED);
    expect(gatewaySentAt(new Date(Number.NaN), RECEIVED, RULES)).toEqual(RECEIVED);
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

  it('follows the profile’s own skew and window', () => {
    const strict = { skewMinutes: 0, replayWindowMinutes: 10 };
    expect(gatewaySentAt(at(0), RECEIVED, strict)).toEqual(at(0));
    expect(gatewaySentAt(at(-1), RECEIVED, strict)).toEqual(RECEIVED);
    expect(gatewaySentAt(at(-10 * MINUTE), RECEIVED, strict)).toEqual(RECEIVED);
    expect(() => gatewaySentAt(at(-10 * MINUTE - 1), RECEIVED, strict)).toThrow(/more than 10 minutes/);
  });

  it('is, for any claim, never after the receipt nor more than the skew before it, or the claim is refused', () => {
    const instant = fc.integer({ min: 0, max: 8_000_000_000_000 });
    const rules = fc
      .record({
        skewMinutes: fc.integer({ min: 0, max: 60 }),
        replayWindowMinutes: fc.integer({ min: 61, max: 20_000 }),
      })
      .filter((r) => r.replayWindowMinutes > r.skewMinutes);
    fc.assert(
      fc.property(instant, instant, rules, (claimedMs, receivedMs, r) => {
        const received = new Date(receivedMs);
        const stale = receivedMs - claimedMs > r.replayWindowMinutes * MINUTE;
        let ordered: Date;
        try {
          ordered = gatewaySentAt(new Date(claimedMs), received, r);
        } catch {
          return stale;
        }
        return (
          !stale &&
          ordered.getTime() <= receivedMs &&
          ordered.getTime() >= receivedMs - r.skewMinutes * MINUTE &&
          (ordered.getTime() === claimedMs || ordered.getTime() === receivedMs)
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
