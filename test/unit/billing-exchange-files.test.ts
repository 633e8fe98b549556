// Dropped files as the import reads them (bytes -> rows with their lines) and the billing engine choice in the config.
import { describe, expect, it } from 'vitest';
import { csvTextRows, rejectsCsv } from '#app/import-csv';
import { loadUtilityConfig } from '#config/load';
import { ConfigError, parseUtilityConfig } from '#config/schema';

const HEADER = 'account_number,period,usage_from,usage_to,usage,charges,amount_due,issued_at,status';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('a dropped bills file read as import rows', () => {
  it('numbers rows by the line they start on, past blank lines, CRLF and quoted line breaks', () => {
    // Excel on Windows saved the file with a BOM and CRLF; one address cell spans two lines.
    const text = `\uFEFF${HEADER}\r\n1,2026-03,a,b,1,"water=1\r\nx",1,c,unpaid\r\n\r\n2,2026-03,a,b,1,w=1,1,c,unpaid\r\n`;

    const read = csvTextRows('bills', bytes(text));

    expect(read.ok && read.bom).toBe(true);
    expect(read.ok && read.rows.map((row) => [row.line, row.record.account_number])).toEqual([
      [2, '1'],
      [5, '2'],
    ]);
  });

  it('carries a short row as a problem of that row, not of the file', () => {
    // One row lost its last commas.
    const read = csvTextRows('bills', bytes(`${HEADER}\n1,2026-03,a\n`));

    expect(read.ok && read.rows[0]?.problem).toMatch(/the row has 3 fields where the header has 9/);
  });

  it('refuses a file that is not UTF-8, is empty, or has no bills header, saying why', () => {
    // A windows-1251 export, an empty upload, and an accounts file in the wrong folder.
    expect(csvTextRows('bills', new Uint8Array([0xcf, 0xf0, 0xe8]))).toEqual({
      ok: false,
      problem: expect.stringMatching(/not UTF-8/),
    });
    expect(csvTextRows('bills', bytes('\n\n'))).toEqual({
      ok: false,
      problem: expect.stringMatching(/is empty/),
    });
    expect(csvTextRows('bills', bytes('account_number,holder_name\n1,x\n'))).toEqual({
      ok: false,
      problem: expect.stringMatching(/lacks the required columns/),
    });
  });

  it('writes the rejects file with line and reason first, then the original columns, with a BOM when given one', () => {
    // The utility's staff open the rejects file in Excel.
    const csv = rejectsCsv(
      ['account_number', 'period'],
      [{ line: 3, reason: 'period: bad', record: { account_number: '1', period: 'x' } }],
      true,
    );

    expect(csv).toBe('\uFEFFline,reason,account_number,period\n3,period: bad,1,x\n');
  });
});

describe('billing.engine in the utility configuration', () => {
  it('is internal for both demo utilities, which leave it out', () => {
    // The demos make their own bills.
    expect(loadUtilityConfig('seoul-water').billing.engine).toBe('internal');
    expect(loadUtilityConfig('tyumen-power').billing.engine).toBe('internal');
  });

  it('takes external, and names the field of anything else', () => {
    // A utility with its own billing system; and a typo.
    const raw = structuredClone(loadUtilityConfig('seoul-water'));
    expect(
      parseUtilityConfig({ ...raw, billing: { ...raw.billing, engine: 'external' } }, 't.json').billing
        .engine,
    ).toBe('external');
    expect(() =>
      parseUtilityConfig({ ...raw, billing: { ...raw.billing, engine: 'sap' } }, 't.json'),
    ).toThrow(ConfigError);
    expect(() =>
      parseUtilityConfig({ ...raw, billing: { ...raw.billing, engine: 'sap' } }, 't.json'),
    ).toThrow(/billing\.engine/);
  });
});
