// When a bill is due and what paying late costs: Seoul's next-business-day rule and its prorated 3% late fee.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import type { UtilityConfig } from '#config/schema';
import { dueDateOf, lateFeeOf } from '#domain/tariff-due';

const seoul = loadUtilityConfig('seoul-water');
const tyumen = loadUtilityConfig('tyumen-power');

describe('the due date', () => {
  it('is the end of the billing month in Seoul, moved past weekends and public holidays', () => {
    expect(dueDateOf(seoul, '2026-09')).toBe('2026-09-30'); // a Wednesday
    expect(dueDateOf(seoul, '2026-05')).toBe('2026-06-01'); // Sunday 31 May -> Monday
    expect(dueDateOf(seoul, '2026-01')).toBe('2026-02-02'); // Saturday 31 January -> Monday
    // Saturday 28 February, Sunday 1 March (Independence Movement Day), Monday 2 March its substitute holiday.
    expect(dueDateOf(seoul, '2026-02')).toBe('2026-03-03');
  });

  it('corrects the holiday library where the configuration says it is wrong', () => {
    // date-holidays 3.37 puts Seollal 2025 on 29-31 January; it was 28-30 January, so Friday 31 January was a
    // working day and January's bills were due on it. The Seoul configuration removes 2025-01-31.
    expect(dueDateOf(seoul, '2025-01')).toBe('2025-01-31');
    const uncorrected = structuredClone(seoul) as UtilityConfig;
    uncorrected.billing.due.holidays.remove = [];
    expect(dueDateOf(uncorrected, '2025-01')).toBe('2025-02-03');
  });

  it('is the 10th of the next month in Tyumen, weekend or not', () => {
    expect(dueDateOf(tyumen, '2026-12')).toBe('2027-01-10'); // a Sunday
  });
});

describe('the late fee', () => {
  // 43,010 won unpaid on a bill due Tuesday 30 June 2026: the month after it runs to 30 July, 30 days.
  const overdue = { overdueAmount: 43_010, dueDate: '2026-06-30' };

  it('is nothing on the due date itself', () => {
    expect(lateFeeOf(seoul, { ...overdue, asOf: '2026-06-30' })).toBe(0);
  });

  it('grows by the day in the first month after the due date in Seoul', () => {
    // 10 of 30 days: 43,010 x 3% x 10/30 = 430.1 -> 430 (down to 10 won).
    expect(lateFeeOf(seoul, { ...overdue, asOf: '2026-07-10' })).toBe(430);
    // 30 of 30 days: 43,010 x 3% = 1,290.3 -> 1,290.
    expect(lateFeeOf(seoul, { ...overdue, asOf: '2026-07-30' })).toBe(1_290);
  });

  it('stops at 3% after that month', () => {
    expect(lateFeeOf(seoul, { ...overdue, asOf: '2026-09-15' })).toBe(1_290);
  });

  it('is the whole percentage the day after the due date without proration, and nothing in Tyumen', () => {
    const flat = structuredClone(seoul) as UtilityConfig;
    flat.billing.lateFeeProration = 'none';
    expect(lateFeeOf(flat, { ...overdue, asOf: '2026-07-01' })).toBe(1_290);
    expect(lateFeeOf(tyumen, { overdueAmount: 150_000, dueDate: '2026-12-10', asOf: '2027-02-01' })).toBe(0);
  });
});
