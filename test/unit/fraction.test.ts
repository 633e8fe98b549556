// Exact money arithmetic: configured decimals are read as written and rounded once, the way the rule says.
import { describe, expect, it } from 'vitest';
import { fraction, mul, roundTo } from '#domain/fraction';

describe('exact fractions', () => {
  it('read a configured rate as the decimal it is written as', () => {
    // 4.35 RUB is 435 kopecks; 4.35 x 100 in binary floating point is 434.99999999999994.
    expect(roundTo(mul(fraction(4.35), fraction(100)), 1, 'down')).toBe(435);
    expect(fraction(6.84)).toEqual({ n: 171n, d: 25n });
    expect(fraction(1e-7)).toEqual({ n: 1n, d: 10_000_000n });
    expect(fraction(2.5e21)).toEqual({ n: 2_500_000_000_000_000_000_000n, d: 1n });
  });

  it('round down, up, or half up to a step of minor units', () => {
    const amount = fraction(14_955); // won
    expect(roundTo(amount, 10, 'down')).toBe(14_950);
    expect(roundTo(amount, 10, 'up')).toBe(14_960);
    expect(roundTo(amount, 10, 'half-up')).toBe(14_960);
    expect(roundTo(fraction(14_954), 10, 'half-up')).toBe(14_950);
    expect(roundTo(fraction(28_665, 2), 1, 'half-up')).toBe(14_333); // 14,332.5 kopecks
  });
});
