// Demo data: the readings printed on the demo bills continue from one bill to the next.
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { generateDemoData } from '../../bin/local/demo-data.ts';

describe('demo bills carry meter readings', () => {
  // Someone trying the demo sends a reading by SMS: it is checked against the last bill's current reading, so
  // the demo bills must print readings that add up, bill after bill, per register.
  it.each(['seoul-water', 'tyumen-power'])(
    '%s: each current reading is the previous plus the volume, dated the end of the usage period',
    (utility) => {
      const { accounts, bills } = generateDemoData(
        loadUtilityConfig(utility),
        new Date('2026-12-16T01:00:00Z'),
        {
          accounts: 12,
        },
      );
      for (const account of accounts) {
        const ofAccount = bills
          .filter((b) => b.accountNumber === account.accountNumber)
          .sort((a, b) => a.period.localeCompare(b.period));
        const meter = account.meters[0];
        let last: Record<string, number> | undefined;
        for (const bill of ofAccount) {
          const readings = bill.meterReadings ?? [];
          expect(readings.map((r) => r.register)).toEqual(meter?.registers);
          for (const r of readings) {
            expect(r.meterId).toBe(meter?.id);
            expect(r.current.value).toBe((r.previous?.value ?? 0) + (bill.usage.registers[r.register] ?? 0));
            expect(r.current.date).toBe(bill.usagePeriod.to);
            expect(r.current.kind).toBe(bill.usage.estimated ? 'estimated' : 'actual');
            if (last) expect(r.previous?.value).toBe(last[r.register]);
          }
          last = Object.fromEntries(readings.map((r) => [r.register, r.current.value]));
        }
      }
    },
  );
});
