// The demo data's bills come from the tariff engine: the same on every run, with the accounts' entitlements.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { expectedAmountDue } from '#domain/bill';
import { generateDemoData } from '../../bin/local/demo-data.ts';

const NOW = new Date('2026-12-16T01:00:00Z');

describe('demo bills', () => {
  it('are priced by the configured tariffs and reductions, identically on every run', () => {
    // A newcomer runs `npm start` twice on the same day and sees the same Seoul accounts and bills.
    const seoul = loadUtilityConfig('seoul-water');
    const first = generateDemoData(seoul, NOW, { accounts: 60 });
    expect(generateDemoData(seoul, NOW, { accounts: 60 })).toEqual(first);

    const eBilled = first.accounts.filter((a) => a.reductions?.includes('e-billing'));
    expect(eBilled.length).toBeGreaterThan(0);
    for (const bill of first.bills.filter((b) => eBilled.some((a) => a.accountNumber === b.accountNumber))) {
      const sum = (lines: Array<{ amount: number }>) => lines.reduce((t, l) => t + l.amount, 0);
      // Unless an earlier reduction (a vulnerable household's free volume) has already taken the whole bill.
      if (sum(bill.reductions) < sum(bill.charges)) {
        expect(bill.reductions.map((r) => r.code)).toContain('e-billing');
      }
    }
    for (const bill of first.bills) {
      expect(bill.amountDue).toBe(expectedAmountDue(bill));
      // Seoul rounds every line down to 10 won.
      for (const line of [...bill.charges, ...bill.reductions]) expect(line.amount % 10).toBe(0);
    }
    // Two demo years priced, and the holiday calendar loaded: seconds on a shared machine.
  }, 30_000);

  it('bill a two-tariff meter in Tyumen by day and night rates', () => {
    const tyumen = loadUtilityConfig('tyumen-power');
    const { accounts, bills } = generateDemoData(tyumen, NOW, { accounts: 20 });
    const twoTariff = accounts.find((a) => a.meters[0]?.kind === 'two-tariff');
    const bill = bills.find((b) => b.accountNumber === twoTariff?.accountNumber && b.period === '2026-12');
    expect(bill?.charges.map((c) => [c.code, c.rate])).toEqual([
      ['energy-day', 6.84],
      ['energy-night', 4.07],
    ]);
  });
});
