import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { effectiveStatus, expectedAmountDue } from '#domain/bill';
import { rateFor } from '#domain/tariff';

const seoul = loadUtilityConfig('seoul-water');

describe('tariffs', () => {
  it('name the flat rate in force on the first day of a billing period (what a bill import prints)', () => {
    const water = seoul.tariffs.find((t) => t.code === 'water');
    const sewage = seoul.tariffs.find((t) => t.code === 'sewage');
    if (!water || !sewage) throw new Error('no water or sewage tariff');
    expect(rateFor(water, '2022-12')).toBe(480);
    expect(rateFor(water, '2023-01')).toBe(580);
    expect(rateFor(water, '2020-12')).toBeUndefined();
    // Seoul's household sewage was tiered until 2025: no one rate to print.
    expect(rateFor(sewage, '2025-12')).toBeUndefined();
    expect(rateFor(sewage, '2026-01')).toBe(480);
  });
});

describe('bills', () => {
  it('owe charges less reductions plus arrears and the late fee', () => {
    expect(
      expectedAmountDue({
        charges: [
          { code: 'water', label: 'w', amount: 1000 },
          { code: 'sewage', label: 's', amount: 500 },
        ],
        reductions: [{ code: 'e-billing', label: 'e', amount: 200 }],
        arrears: 3000,
        lateFee: 90,
      }),
    ).toBe(4390);
  });

  it('become overdue the day after the due date, in local dates, unless paid', () => {
    expect(effectiveStatus({ status: 'unpaid', dueDate: '2026-11-30' }, '2026-11-30')).toBe('unpaid');
    expect(effectiveStatus({ status: 'unpaid', dueDate: '2026-11-30' }, '2026-12-01')).toBe('overdue');
    expect(effectiveStatus({ status: 'paid', dueDate: '2026-11-30' }, '2027-01-01')).toBe('paid');
  });
});
