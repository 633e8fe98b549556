import { describe, expect, it } from 'vitest';
import { isMobile } from '#domain/phone';
import { effectiveMonth, fanOutShard } from '#domain/subscription';

describe('the effective month (cutoff day 8, in the utility time zone)', () => {
  it('starts with this month’s bill up to the last second of the 8th, Seoul time', () => {
    // 2026-12-08 23:59:59 in Seoul is 14:59:59 UTC on the 8th.
    expect(effectiveMonth(new Date('2026-12-08T14:59:59Z'), 'Asia/Seoul', 8)).toBe('2026-12');
  });

  it('starts with next month’s bill from midnight of the 9th, Seoul time, while UTC is still on the 8th', () => {
    // 2026-12-09 00:00:00 in Seoul is 15:00:00 UTC on the 8th.
    expect(effectiveMonth(new Date('2026-12-08T15:00:00Z'), 'Asia/Seoul', 8)).toBe('2027-01');
  });

  it('applies the same rule in Yekaterinburg time (UTC+5) for Tyumen', () => {
    expect(effectiveMonth(new Date('2026-12-08T18:59:59Z'), 'Asia/Yekaterinburg', 8)).toBe('2026-12');
    expect(effectiveMonth(new Date('2026-12-08T19:00:00Z'), 'Asia/Yekaterinburg', 8)).toBe('2027-01');
  });

  it('takes effect on the first of the month, and follows a configured cutoff', () => {
    expect(effectiveMonth(new Date('2026-11-30T15:00:00Z'), 'Asia/Seoul', 8)).toBe('2026-12');
    expect(effectiveMonth(new Date('2026-12-15T03:00:00Z'), 'Asia/Seoul', 20)).toBe('2026-12');
  });
});

describe('fan-out shards', () => {
  it('are stable for an id and spread ids over every shard', () => {
    expect(fanOutShard('a', 16)).toBe(fanOutShard('a', 16));
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[fanOutShard(`id-${i}`, 16)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});

describe('mobile numbers', () => {
  it('tells mobiles from landlines in both countries', () => {
    expect(isMobile('+821012345678')).toBe(true);
    expect(isMobile('+82231461100')).toBe(false);
    expect(isMobile('+79123456789')).toBe(true);
    expect(isMobile('+73452500001')).toBe(false);
  });
});
