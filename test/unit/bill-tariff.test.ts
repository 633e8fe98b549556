import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { effectiveStatus, expectedAmountDue } from '#domain/bill';
import { computeCharges, rateFor } from '#domain/tariff';

const seoul = loadUtilityConfig('seoul-water');
const tyumen = loadUtilityConfig('tyumen-power');

describe('tariffs', () => {
  it('applies the rate in force for the period', () => {
    const sewage = seoul.tariffs.find((t) => t.code === 'sewage');
    if (!sewage) throw new Error('no sewage tariff');
    expect(rateFor(sewage, '2025-12')).toBe(400);
    expect(rateFor(sewage, '2026-01')).toBe(480);
    expect(rateFor(sewage, '2020-12')).toBeUndefined();
  });

  it('charges Seoul water, sewage and the water-use levy per m3 (1 m3 = 1,150 KRW in 2025)', () => {
    const lines = computeCharges(seoul.tariffs, '2025-06', { total: 1 }, 'KRW', 'ko');
    expect(lines.map((l) => [l.code, l.amount])).toEqual([
      ['water', 580],
      ['sewage', 400],
      ['water-use-levy', 170],
    ]);
    expect(lines[0]?.label).toBe('상수도요금');
  });

  it('charges a Tyumen two-tariff meter day and night separately, in kopecks', () => {
    const lines = computeCharges(tyumen.tariffs, '2026-08', { day: 120, night: 45 }, 'RUB', 'ru');
    expect(lines.map((l) => [l.code, l.amount])).toEqual([
      ['energy-day', 82080],
      ['energy-night', 18315],
    ]);
  });

  it('charges a Tyumen single-rate meter on its total', () => {
    const lines = computeCharges(tyumen.tariffs, '2026-01', { total: 200 }, 'RUB', 'ru');
    expect(lines).toEqual([
      { code: 'energy', label: 'Электроэнергия', volume: 200, rate: 5.66, amount: 113200 },
    ]);
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
