// Import rows: how a row of an accounts or bills file becomes an Account or Bill, or a reason naming the column.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { accountFromRow } from '#app/account-rows';
import { billFromRow } from '#app/bill-rows';
import { type ImportProgress, type ImportRow, importAccounts, importBills } from '#app/import';
import { loadUtilityConfig } from '#config/load';
import type { Account } from '#domain/account';
import type { Bill } from '#domain/bill';
import { formatMajor, type ImportRecord, parseMajor } from '#domain/import-cells';
import { checkHeader } from '#domain/import-columns';
import { MemoryAccounts, MemoryBills, MemorySubscriptions } from '#test/support/memory-stores';

const seoul = loadUtilityConfig('seoul-water');
const tyumen = loadUtilityConfig('tyumen-power');

function seoulAccountRow(over: ImportRecord = {}): ImportRecord {
  return {
    account_number: '123456789',
    holder_name: '김철수',
    address: '서울특별시 종로구 세종대로 1',
    district: '11110',
    payment_method: 'auto-pay',
    virtual_account_bank: '',
    virtual_account_number: '',
    households: '',
    phones: '010-1234-5678',
    meters: 'M-0001:single',
    ...over,
  };
}

function tyumenAccountRow(over: ImportRecord = {}): ImportRecord {
  return {
    account_number: '7200000001',
    holder_name: 'Иванов Иван Иванович',
    address: 'г. Тюмень, ул. Республики, д. 1, кв. 5',
    district: 'tmn-central',
    payment_method: 'giro',
    households: '1',
    phones: '8 (912) 345-67-89',
    meters: 'E-100001:two-tariff',
    ...over,
  };
}

function seoulBillRow(over: ImportRecord = {}): ImportRecord {
  return {
    account_number: '123456789',
    period: '2026-03',
    usage_from: '2026-01-16',
    usage_to: '2026-03-15',
    usage: '20',
    estimated: '',
    unit: '',
    charges: 'water=11600;sewage=9600;water-use-levy=3400',
    reductions: '',
    arrears: '',
    late_fee: '',
    amount_due: '24600',
    due_date: '',
    issued_at: '2026-03-20',
    status: 'unpaid',
    paid_at: '',
    paid_amount: '',
    paid_method: '',
    ...over,
  };
}

function tyumenBillRow(over: ImportRecord = {}): ImportRecord {
  return {
    account_number: '7200000001',
    period: '2026-02',
    usage_from: '2026-02-01',
    usage_to: '2026-02-28',
    usage: 'day=120;night=45',
    charges: 'energy-day=729.60;energy-night=162.90',
    amount_due: '892.50',
    issued_at: '2026-03-05',
    status: 'unpaid',
    ...over,
  };
}

function reasonOf(result: { ok: true } | { ok: false; reason: string }): string {
  if (result.ok) throw new Error('expected the row to be rejected');
  return result.reason;
}

function accountOf(result: ReturnType<typeof accountFromRow>): Account {
  if (!result.ok) throw new Error(`expected an account, got: ${result.reason}`);
  return result.account;
}

function billOf(result: ReturnType<typeof billFromRow>): Bill {
  if (!result.ok) throw new Error(`expected a bill, got: ${result.reason}`);
  return result.bill;
}

describe('checkHeader', () => {
  const accountsHeader = Object.keys(seoulAccountRow());
  const billsHeader = Object.keys(seoulBillRow());

  it('accepts the full header of each kind, and one without the optional columns', () => {
    expect(checkHeader('accounts', accountsHeader)).toBeUndefined();
    expect(checkHeader('bills', billsHeader)).toBeUndefined();
    expect(checkHeader('accounts', Object.keys(tyumenAccountRow()))).toBeUndefined();
    expect(checkHeader('bills', Object.keys(tyumenBillRow()))).toBeUndefined();
  });

  it('names every missing required column in one sentence', () => {
    const header = accountsHeader.filter((c) => c !== 'district' && c !== 'meters');
    expect(checkHeader('accounts', header)).toBe(
      'The header row lacks the required columns district and meters.',
    );
    expect(
      checkHeader(
        'bills',
        billsHeader.filter((c) => c !== 'status'),
      ),
    ).toBe('The header row lacks the required column status.');
  });

  it('names unknown and repeated columns, so a misspelt optional column is not silently ignored', () => {
    expect(checkHeader('accounts', [...accountsHeader, 'household'])).toMatch(
      /^The header row has the unknown column "household" \(known: account_number, .*\)\.$/,
    );
    expect(checkHeader('accounts', [...accountsHeader, 'phones'])).toBe(
      'The header row names phones more than once.',
    );
  });

  it('ignores columns without a name (a trailing comma in the header)', () => {
    expect(checkHeader('accounts', [...accountsHeader, ''])).toBeUndefined();
  });
});

describe('accountFromRow, seoul-water', () => {
  it('builds an account: phones in E.164, meter unit and registers from the meter kind, households 1 by default', () => {
    const account = accountOf(
      accountFromRow(seoulAccountRow({ phones: '010-1234-5678; +82 10-2345-6789' }), seoul),
    );
    expect(account).toEqual({
      accountNumber: '123456789',
      holderName: '김철수',
      address: '서울특별시 종로구 세종대로 1',
      district: '11110',
      paymentMethod: 'auto-pay',
      households: 1,
      meters: [{ id: 'M-0001', kind: 'single', unit: 'm3', registers: ['total'] }],
      phones: ['+821012345678', '+821023456789'],
    });
  });

  it('keeps a virtual account when both bank and number are given', () => {
    const account = accountOf(
      accountFromRow(
        seoulAccountRow({
          virtual_account_bank: '우리은행',
          virtual_account_number: '1002-123-456789',
          households: '2',
        }),
        seoul,
      ),
    );
    expect(account.virtualAccount).toEqual({ bank: '우리은행', number: '1002-123-456789' });
    expect(account.households).toBe(2);
  });

  it('trims cells, reads the payment method in any case, and registers a phone written two ways once', () => {
    const account = accountOf(
      accountFromRow(
        seoulAccountRow({
          account_number: ' 123456789 ',
          payment_method: 'GIRO',
          phones: '010-1234-5678;+821012345678;',
          meters: ' M-1:single ; M-2:single ',
        }),
        seoul,
      ),
    );
    expect(account.accountNumber).toBe('123456789');
    expect(account.paymentMethod).toBe('giro');
    expect(account.phones).toEqual(['+821012345678']);
    expect(account.meters.map((m) => m.id)).toEqual(['M-1', 'M-2']);
  });

  it('accepts an account with no phones (empty cell or column left out)', () => {
    expect(accountOf(accountFromRow(seoulAccountRow({ phones: '' }), seoul)).phones).toEqual([]);
    const { phones: _phones, ...withoutPhones } = seoulAccountRow();
    expect(accountOf(accountFromRow(withoutPhones, seoul)).phones).toEqual([]);
  });

  it.each([
    [{ account_number: '' }, 'account_number: is required'],
    [
      { account_number: '12345' },
      'account_number: "12345" is not an account number of seoul-water (expected something like 123456789)',
    ],
    [{ holder_name: ' ' }, 'holder_name: is required'],
    [{ address: '' }, 'address: is required'],
    [{ district: '' }, 'district: is required'],
    [
      { district: '99999' },
      'district: "99999" is not a district code of seoul-water (11110, 11140, 11440, 11500, 11680, 11710)',
    ],
    [{ payment_method: '' }, 'payment_method: is required (auto-pay or giro)'],
    [{ payment_method: 'cash' }, 'payment_method: "cash" is not auto-pay or giro'],
    [
      { virtual_account_bank: '우리은행' },
      'virtual_account_number: is required when virtual_account_bank is set (give both or neither)',
    ],
    [
      { virtual_account_number: '1002-123-456789' },
      'virtual_account_bank: is required when virtual_account_number is set (give both or neither)',
    ],
    [{ households: '0' }, 'households: "0" is not a whole number from 1 to 1000'],
    [{ households: '1.5' }, 'households: "1.5" is not a whole number from 1 to 1000'],
    [{ households: 'two' }, 'households: "two" is not a whole number from 1 to 1000'],
    [{ households: '1001' }, 'households: "1001" is not a whole number from 1 to 1000'],
    [{ phones: '010-12' }, 'phones: "010-12" is not a valid phone number for KR'],
    [{ phones: '010-1234-5678;hello' }, 'phones: "hello" is not a valid phone number for KR'],
    [{ meters: '' }, 'meters: at least one meter is required, written ID:kind'],
    [{ meters: 'M-0001' }, 'meters: "M-0001" is not written ID:kind (e.g. M-1:single)'],
    [{ meters: 'M-0001:two-tariff' }, 'meters: "two-tariff" is not a meter kind of seoul-water (single)'],
    [{ meters: 'M 0001:single' }, 'meters: "M 0001" is not a meter ID (1 to 40 letters, digits and dashes)'],
    [{ meters: 'M-1:single;M-1:single' }, 'meters: meter "M-1" is listed twice'],
    [{ holder_name: 'x'.repeat(201) }, 'holder_name: Too big: expected string to have <=200 characters'],
  ])('rejects %o with "%s"', (over, reason) => {
    expect(reasonOf(accountFromRow(seoulAccountRow(over), seoul))).toBe(reason);
  });

  it('rejects more than 20 phones and more than 10 meters', () => {
    const phones = Array.from({ length: 21 }, (_, i) => `010-1234-${String(1000 + i)}`).join(';');
    expect(reasonOf(accountFromRow(seoulAccountRow({ phones }), seoul))).toBe(
      'phones: 21 phones, at most 20',
    );
    const meters = Array.from({ length: 11 }, (_, i) => `M-${i}:single`).join(';');
    expect(reasonOf(accountFromRow(seoulAccountRow({ meters }), seoul))).toBe(
      'meters: 11 meters, at most 10',
    );
  });

  it('reports every bad column of a row, joined by "; "', () => {
    expect(
      reasonOf(accountFromRow(seoulAccountRow({ district: 'x', phones: '1', households: '0' }), seoul)),
    ).toBe(
      'district: "x" is not a district code of seoul-water (11110, 11140, 11440, 11500, 11680, 11710); ' +
        'households: "0" is not a whole number from 1 to 1000; phones: "1" is not a valid phone number for KR',
    );
  });
});

describe('accountFromRow, tyumen-power', () => {
  it('builds an account with a two-tariff meter (day and night registers) and Russian phones', () => {
    const account = accountOf(
      accountFromRow(tyumenAccountRow({ phones: '8 (912) 345-67-89;+7 922 000-11-22' }), tyumen),
    );
    expect(account.meters).toEqual([
      { id: 'E-100001', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] },
    ]);
    expect(account.phones).toEqual(['+79123456789', '+79220001122']);
    expect(account.virtualAccount).toBeUndefined();
  });

  it('builds a single-register meter in kWh', () => {
    const account = accountOf(accountFromRow(tyumenAccountRow({ meters: 'E-1:single' }), tyumen));
    expect(account.meters).toEqual([{ id: 'E-1', kind: 'single', unit: 'kWh', registers: ['total'] }]);
  });

  it.each([
    [
      { account_number: '720000000' },
      'account_number: "720000000" is not an account number of tyumen-power (expected something like 1234567833)',
    ],
    [{ district: '11110' }, 'district: "11110" is not a district code of tyumen-power'],
    [{ phones: '12345' }, 'phones: "12345" is not a valid phone number for RU'],
    [
      { meters: 'E-1:three-tariff' },
      'meters: "three-tariff" is not a meter kind of tyumen-power (single, two-tariff)',
    ],
  ])('rejects %o', (over, reason) => {
    expect(reasonOf(accountFromRow(tyumenAccountRow(over), tyumen))).toContain(reason);
  });
});

describe('billFromRow, seoul-water', () => {
  it('builds a bill: labels in Korean, volume and rate from the tariff, due date from the rule', () => {
    const bill = billOf(billFromRow(seoulBillRow(), seoul));
    expect(bill).toEqual({
      accountNumber: '123456789',
      period: '2026-03',
      currency: 'KRW',
      usagePeriod: { from: '2026-01-16', to: '2026-03-15' },
      usage: { volume: 20, unit: 'm3', registers: { total: 20 }, estimated: false },
      charges: [
        { code: 'water', label: '상수도요금', volume: 20, rate: 580, amount: 11600 },
        { code: 'sewage', label: '하수도요금', volume: 20, rate: 480, amount: 9600 },
        { code: 'water-use-levy', label: '물이용부담금', volume: 20, rate: 170, amount: 3400 },
      ],
      reductions: [],
      arrears: 0,
      lateFee: 0,
      amountDue: 24600,
      dueDate: '2026-03-31',
      issuedAt: '2026-03-20',
      status: 'unpaid',
      payments: [],
    });
  });

  it('takes reductions, arrears, late fee, a given due date and a payment', () => {
    const bill = billOf(
      billFromRow(
        seoulBillRow({
          reductions: 'vulnerable=5000; e-billing=200',
          arrears: '10000',
          late_fee: '300',
          amount_due: '29700',
          due_date: '2026-04-10',
          estimated: 'YES',
          unit: 'm3',
          status: 'paid',
          paid_at: '2026-03-25T09:30:00+09:00',
          paid_amount: '29700',
          paid_method: 'virtual-account',
        }),
        seoul,
      ),
    );
    expect(bill.reductions).toEqual([
      { code: 'vulnerable', label: '취약계층 감면', amount: 5000 },
      { code: 'e-billing', label: '전자고지 감면', amount: 200 },
    ]);
    expect(bill).toMatchObject({
      arrears: 10000,
      lateFee: 300,
      amountDue: 29700,
      dueDate: '2026-04-10',
      status: 'paid',
    });
    expect(bill.usage.estimated).toBe(true);
    expect(bill.payments).toEqual([
      { paidAt: '2026-03-25T09:30:00+09:00', amount: 29700, method: 'virtual-account' },
    ]);
  });

  it('defaults the payment method to giro, and reads estimated as yes/no/true/false', () => {
    const paid = billOf(
      billFromRow(
        seoulBillRow({ status: 'paid', paid_at: '2026-03-25T00:00:00Z', paid_amount: '24600' }),
        seoul,
      ),
    );
    expect(paid.payments[0]?.method).toBe('giro');
    expect(billOf(billFromRow(seoulBillRow({ estimated: 'true' }), seoul)).usage.estimated).toBe(true);
    expect(billOf(billFromRow(seoulBillRow({ estimated: 'no' }), seoul)).usage.estimated).toBe(false);
    expect(billOf(billFromRow(seoulBillRow({ estimated: 'False' }), seoul)).usage.estimated).toBe(false);
  });

  it('takes the rate in force in the period (water 480 in 2022)', () => {
    const bill = billOf(
      billFromRow(seoulBillRow({ period: '2022-12', charges: 'water=9600', amount_due: '9600' }), seoul),
    );
    expect(bill.charges).toEqual([
      { code: 'water', label: '상수도요금', volume: 20, rate: 480, amount: 9600 },
    ]);
  });

  it('accepts a negative amount due (a credit) when it adds up', () => {
    const bill = billOf(
      billFromRow(seoulBillRow({ reductions: 'vulnerable=25000', amount_due: '-400' }), seoul),
    );
    expect(bill.amountDue).toBe(-400);
  });

  it.each([
    [{ account_number: '1234' }, 'account_number: "1234" is not an account number of seoul-water'],
    [{ period: '' }, 'period: is required (YYYY-MM)'],
    [{ period: '2026-13' }, 'period: "2026-13" is not a month written YYYY-MM'],
    [{ period: '2026/03' }, 'period: "2026/03" is not a month written YYYY-MM'],
    [{ usage_from: '' }, 'usage_from: is required (YYYY-MM-DD)'],
    [{ usage_from: '2026-02-30' }, 'usage_from: "2026-02-30" is not a date written YYYY-MM-DD'],
    [{ usage_to: '15.03.2026' }, 'usage_to: "15.03.2026" is not a date written YYYY-MM-DD'],
    [
      { usage_from: '2026-03-16', usage_to: '2026-03-15' },
      'usage_to: 2026-03-15 is before usage_from 2026-03-16',
    ],
    [{ usage: '' }, 'usage: is required (e.g. 23, or day=120;night=45)'],
    [{ usage: '-3' }, 'usage: "-3" is not written register=volume (e.g. day=120)'],
    [
      { usage: 'day=120;night=45' },
      'usage: "day=120;night=45" fits no meter kind of seoul-water: give one number (single)',
    ],
    [{ usage: 'total=abc' }, 'usage: total: "abc" is not a volume (a number, at least 0)'],
    [{ estimated: 'maybe' }, 'estimated: "maybe" is not yes, no, true or false'],
    [{ unit: 'kWh' }, 'unit: "kWh" is not a unit of seoul-water (m3)'],
    [{ charges: '' }, 'charges: at least one charge is required, written code=amount (e.g. water=100)'],
    [{ charges: 'water' }, 'charges: "water" is not written code=amount (e.g. water=100)'],
    [
      { charges: 'gas=100', amount_due: '100' },
      'charges: "gas" is not a tariff code of seoul-water (water, sewage, water-use-levy)',
    ],
    [{ charges: 'water=11600;water=9600' }, 'charges: "water" is listed twice'],
    [{ charges: 'water=11600.5' }, 'charges: water: "11600.5" has 1 decimal; KRW amounts have none'],
    [{ charges: 'water=-11600' }, 'charges: water: "-11600" must not be negative'],
    [
      { charges: 'water=11,600' },
      'charges: water: "11,600" is not an amount (write it without thousands separators)',
    ],
    [
      { reductions: 'senior=100' },
      'reductions: "senior" is not a reduction code of seoul-water (vulnerable, multi-child, single-parent, e-billing, self-reading)',
    ],
    [{ arrears: '1,000' }, 'arrears: "1,000" is not an amount (write it without thousands separators)'],
    [{ late_fee: 'abc' }, 'late_fee: "abc" is not an amount'],
    [{ amount_due: '' }, 'amount_due: is required'],
    [
      { amount_due: '24000' },
      'amount_due: 24000 does not equal charges - reductions + arrears + late_fee (24600)',
    ],
    [{ due_date: '2026-3-31' }, 'due_date: "2026-3-31" is not a date written YYYY-MM-DD'],
    [{ issued_at: '' }, 'issued_at: is required (YYYY-MM-DD)'],
    [{ status: '' }, 'status: is required (unpaid, paid or overdue)'],
    [{ status: 'open' }, 'status: "open" is not unpaid, paid or overdue'],
    [
      { paid_at: '2026-03-25 09:30', paid_amount: '24600' },
      'paid_at: "2026-03-25 09:30" is not a date and time with an offset',
    ],
    [
      { paid_at: '2026-03-25T09:30:00', paid_amount: '24600' },
      'paid_at: "2026-03-25T09:30:00" is not a date',
    ],
    [{ paid_at: '2026-03-25T09:30:00+09:00' }, 'paid_amount: is required when paid_at is set'],
    [{ paid_amount: '24600' }, 'paid_at: is required when paid_amount is set'],
    [{ paid_at: '2026-03-25T09:30:00+09:00', paid_amount: '0' }, 'paid_amount: must be more than 0'],
    [{ paid_method: 'card' }, 'paid_method: is set but paid_at and paid_amount are not'],
    [
      { paid_at: '2026-03-25T09:30:00+09:00', paid_amount: '24600', paid_method: 'bitcoin' },
      'paid_method: "bitcoin" is not auto-pay, giro, virtual-account, card or cash',
    ],
  ])('rejects %o', (over, reason) => {
    expect(reasonOf(billFromRow(seoulBillRow(over), seoul))).toContain(reason);
  });
});

describe('billFromRow, tyumen-power', () => {
  it('builds a day/night bill: kopecks, Russian labels, volume per register, due the 10th of next month', () => {
    const bill = billOf(billFromRow(tyumenBillRow(), tyumen));
    expect(bill).toMatchObject({
      currency: 'RUB',
      usage: { volume: 165, unit: 'kWh', registers: { day: 120, night: 45 }, estimated: false },
      charges: [
        { code: 'energy-day', label: 'Электроэнергия, день', volume: 120, rate: 6.08, amount: 72960 },
        { code: 'energy-night', label: 'Электроэнергия, ночь', volume: 45, rate: 3.62, amount: 16290 },
      ],
      amountDue: 89250,
      dueDate: '2026-03-10',
    });
  });

  it('accepts registers in any order and amounts with fewer decimals than the currency has', () => {
    const bill = billOf(
      billFromRow(
        tyumenBillRow({
          usage: 'night=45; day=120',
          charges: 'energy-day=729.6;energy-night=163',
          amount_due: '892.6',
        }),
        tyumen,
      ),
    );
    expect(bill.usage.registers).toEqual({ night: 45, day: 120 });
    expect(bill.amountDue).toBe(89260);
  });

  it('builds a single-register bill with a benefit reduction and a card payment', () => {
    const bill = billOf(
      billFromRow(
        tyumenBillRow({
          account_number: '7200000002',
          usage: '150',
          charges: 'energy=849.00',
          reductions: 'benefit=424.50',
          amount_due: '424.50',
          status: 'paid',
          paid_at: '2026-03-08T12:00:00+05:00',
          paid_amount: '424.50',
          paid_method: 'card',
        }),
        tyumen,
      ),
    );
    expect(bill.charges).toEqual([
      { code: 'energy', label: 'Электроэнергия', volume: 150, rate: 5.66, amount: 84900 },
    ]);
    expect(bill.reductions).toEqual([{ code: 'benefit', label: 'Льгота', amount: 42450 }]);
    expect(bill.payments).toEqual([{ paidAt: '2026-03-08T12:00:00+05:00', amount: 42450, method: 'card' }]);
  });

  it('leaves volume and rate out of a line whose register the usage does not have', () => {
    const bill = billOf(billFromRow(tyumenBillRow({ charges: 'energy=892.50' }), tyumen));
    expect(bill.charges).toEqual([{ code: 'energy', label: 'Электроэнергия', amount: 89250 }]);
  });

  it('takes fractional volumes and sums them without floating-point noise', () => {
    const bill = billOf(
      billFromRow(
        tyumenBillRow({
          usage: 'day=0.1;night=0.2',
          charges: 'energy-day=0.61;energy-night=0.72',
          amount_due: '1.33',
        }),
        tyumen,
      ),
    );
    expect(bill.usage.volume).toBe(0.3);
  });

  it.each([
    [
      { charges: 'energy-day=729.601;energy-night=162.90' },
      'charges: energy-day: "729.601" has 3 decimals; RUB amounts have at most 2',
    ],
    [
      { usage: 'day=120', charges: 'energy-day=729.60', amount_due: '729.60' },
      'usage: "day=120" fits no meter kind of tyumen-power: give one number (single) or day=...;night=... (two-tariff)',
    ],
    [{ usage: 'day=120;day=45' }, 'usage: register "day" is listed twice'],
    [
      { usage: 'peak=1;day=120;night=45' },
      'usage: "peak=1;day=120;night=45" fits no meter kind of tyumen-power',
    ],
    [
      { amount_due: '900.00' },
      'amount_due: 900.00 does not equal charges - reductions + arrears + late_fee (892.50)',
    ],
    [{ amount_due: '892.501' }, 'amount_due: "892.501" has 3 decimals; RUB amounts have at most 2'],
    [{ unit: 'm3' }, 'unit: "m3" is not a unit of tyumen-power (kWh)'],
    [
      { charges: 'water=100', amount_due: '100' },
      'charges: "water" is not a tariff code of tyumen-power (energy, energy-day, energy-night)',
    ],
  ])('rejects %o', (over, reason) => {
    expect(reasonOf(billFromRow(tyumenBillRow(over), tyumen))).toContain(reason);
  });
});

describe('parseMajor and formatMajor', () => {
  it('converts major units to minor units per currency', () => {
    expect(parseMajor('1234.56', 'RUB')).toEqual({ ok: true, minor: 123456 });
    expect(parseMajor('0.1', 'RUB')).toEqual({ ok: true, minor: 10 });
    expect(parseMajor('13340', 'KRW')).toEqual({ ok: true, minor: 13340 });
    expect(parseMajor('-300', 'KRW', { negative: true })).toEqual({ ok: true, minor: -300 });
  });

  it('rejects what is not a plain amount', () => {
    expect(parseMajor('13340.0', 'KRW')).toMatchObject({ ok: false });
    expect(parseMajor('1.5e3', 'RUB')).toMatchObject({ ok: false });
    expect(parseMajor('12,50', 'RUB')).toMatchObject({ ok: false });
    expect(parseMajor('-1', 'RUB')).toEqual({ ok: false, message: '"-1" must not be negative' });
  });

  it('writes minor units back the way the file does', () => {
    expect(formatMajor(89250, 'RUB')).toBe('892.50');
    expect(formatMajor(24600, 'KRW')).toBe('24600');
  });
});

const rowsOf = (records: ImportRecord[]): ImportRow[] =>
  records.map((record, i) => ({ line: i + 2, record }));

/** What importing accounts needs besides the accounts: the subscriptions of phones it may unregister, a clock. */
const importDeps = (config: typeof seoul, accounts: MemoryAccounts) => ({
  config,
  accounts,
  subscriptions: new MemorySubscriptions(),
  clock: new ManualClock(new Date('2026-12-16T05:00:00Z')),
});

describe('importAccounts', () => {
  it('stores good rows in batches, reports bad ones by line, and calls back after every batch', async () => {
    const accounts = new MemoryAccounts();
    const progress: ImportProgress[] = [];
    const records = [
      seoulAccountRow({ account_number: '100000001' }),
      seoulAccountRow({ account_number: '100000002', phones: '010-12' }),
      seoulAccountRow({ account_number: '100000003' }),
      seoulAccountRow({ account_number: '100000004' }),
      seoulAccountRow({ account_number: '100000005' }),
    ];
    const result = await importAccounts(importDeps(seoul, accounts), rowsOf(records), {
      batchSize: 2,
      concurrency: 1,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({
      read: 5,
      imported: 4,
      rejected: 1,
      rejects: [
        { line: 3, reason: 'phones: "010-12" is not a valid phone number for KR', record: records[1] },
      ],
      phonesUnregistered: 0,
      subscriptionsEnded: 0,
      busySubscriptions: [],
    });
    expect([...accounts.items.keys()]).toEqual(['100000001', '100000003', '100000004', '100000005']);
    expect(accounts.batches).toEqual([1, 2, 1]);
    expect(progress).toEqual([
      { read: 2, imported: 1, rejected: 1 },
      { read: 4, imported: 3, rejected: 1 },
      { read: 5, imported: 4, rejected: 1 },
    ]);
  });

  it('rejects a later row for the same account as a duplicate, even when the first was rejected', async () => {
    const accounts = new MemoryAccounts();
    const records = [
      seoulAccountRow({ account_number: '100000001', district: 'x' }),
      seoulAccountRow({ account_number: '100000001' }),
      seoulAccountRow({ account_number: ' 100000001 ', holder_name: '다른 사람' }),
    ];
    const result = await importAccounts(importDeps(seoul, accounts), rowsOf(records));
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'district: "x" is not a district code of seoul-water (11110, 11140, 11440, 11500, 11680, 11710)'],
      [3, 'duplicate of line 2 (same account_number)'],
      [4, 'duplicate of line 2 (same account_number)'],
    ]);
    expect(accounts.items.size).toBe(0);
  });

  it('rejects a row the reader found a problem with, as it is', async () => {
    const accounts = new MemoryAccounts();
    const result = await importAccounts(importDeps(seoul, accounts), [
      { line: 2, record: seoulAccountRow(), problem: 'the row has 3 fields where the header has 10' },
    ]);
    expect(result).toMatchObject({ read: 1, imported: 0, rejected: 1 });
    expect(result.rejects[0]?.reason).toBe('the row has 3 fields where the header has 10');
  });

  it('takes rows from an async iterable, and reports progress once for an empty file', async () => {
    const accounts = new MemoryAccounts();
    async function* rows(): AsyncGenerator<ImportRow> {
      yield { line: 2, record: tyumenAccountRow() };
    }
    expect(await importAccounts(importDeps(tyumen, accounts), rows())).toMatchObject({
      read: 1,
      imported: 1,
    });
    const progress: ImportProgress[] = [];
    await importAccounts(importDeps(tyumen, accounts), [], { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ read: 0, imported: 0, rejected: 0 }]);
  });

  it('writes up to `concurrency` batches at once and waits for all of them before it returns', async () => {
    const accounts = new MemoryAccounts();
    let running = 0;
    let most = 0;
    const put = accounts.putMany.bind(accounts);
    accounts.putMany = async (batch) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const removed = await put(batch);
      running -= 1;
      return removed;
    };
    const records = Array.from({ length: 20 }, (_, i) =>
      seoulAccountRow({ account_number: String(100000000 + i) }),
    );
    const result = await importAccounts(importDeps(seoul, accounts), rowsOf(records), {
      batchSize: 2,
      concurrency: 3,
    });
    expect(result).toMatchObject({ read: 20, imported: 20, rejected: 0 });
    expect(accounts.items.size).toBe(20);
    expect(most).toBe(3);
    expect(running).toBe(0);
  });

  it('lets a store failure through: the caller decides it is fatal', async () => {
    const accounts = new MemoryAccounts();
    accounts.putMany = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    await expect(importAccounts(importDeps(seoul, accounts), rowsOf([seoulAccountRow()]))).rejects.toThrow(
      'ECONNREFUSED',
    );
  });
});

describe('importBills', () => {
  it('stores bills of existing accounts only, and rejects a repeated account and period', async () => {
    const accounts = new MemoryAccounts();
    await accounts.putMany([accountOf(accountFromRow(seoulAccountRow(), seoul))]);
    const bills = new MemoryBills();
    const records = [
      seoulBillRow(),
      seoulBillRow({ account_number: '999999999' }),
      seoulBillRow({ period: '2026-01', charges: 'water=11600', amount_due: '11600' }),
      seoulBillRow({ status: 'paid' }),
      seoulBillRow({ period: '2026-05', amount_due: '1' }),
    ];
    const result = await importBills({ config: seoul, accounts, bills }, rowsOf(records), { batchSize: 2 });
    expect(result).toMatchObject({ read: 5, imported: 2, rejected: 3 });
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'account_number: account 999999999 does not exist'],
      [5, 'duplicate of line 2 (same account_number and period)'],
      [6, 'amount_due: 1 does not equal charges - reductions + arrears + late_fee (24600)'],
    ]);
    expect([...bills.items.keys()]).toEqual(['123456789|2026-03', '123456789|2026-01']);
    expect(bills.items.get('123456789|2026-03')?.status).toBe('unpaid');
  });

  it('imports the same rows twice to the same bills', async () => {
    const accounts = new MemoryAccounts();
    await accounts.putMany([accountOf(accountFromRow(tyumenAccountRow(), tyumen))]);
    const bills = new MemoryBills();
    const rows = rowsOf([tyumenBillRow(), tyumenBillRow({ period: '2026-01' })]);
    const first = await importBills({ config: tyumen, accounts, bills }, rows);
    const snapshot = structuredClone([...bills.items.entries()]);
    const second = await importBills({ config: tyumen, accounts, bills }, rows);
    expect(second).toEqual(first);
    expect([...bills.items.entries()]).toEqual(snapshot);
  });
});

describe('billFromRow: the meter readings printed on a bill', () => {
  // A billing system hands over bills with the day/night readings the resident sees on paper: the previous and
  // the current reading of each register, their dates, and whether each was read or estimated.
  it('takes the readings per register, dated by the usage period unless the row dates them', () => {
    const bill = billOf(
      billFromRow(
        tyumenBillRow({
          meter: 'E-100001',
          previous_reading: 'day=1000;night=400',
          current_reading: 'night=445; day=1120',
          current_reading_date: '2026-02-25',
        }),
        tyumen,
      ),
    );
    expect(bill.meterReadings).toEqual([
      {
        meterId: 'E-100001',
        register: 'night',
        previous: { value: 400, date: '2026-02-01', kind: 'actual' },
        current: { value: 445, date: '2026-02-25', kind: 'actual' },
        volume: 45,
      },
      {
        meterId: 'E-100001',
        register: 'day',
        previous: { value: 1000, date: '2026-02-01', kind: 'actual' },
        current: { value: 1120, date: '2026-02-25', kind: 'actual' },
        volume: 120,
      },
    ]);
  });

  it('marks the current reading of an estimated bill estimated, and leaves the previous out on a first bill', () => {
    const bill = billOf(
      billFromRow(seoulBillRow({ estimated: 'yes', meter: 'M-0001', current_reading: '1234' }), seoul),
    );
    expect(bill.meterReadings).toEqual([
      {
        meterId: 'M-0001',
        register: 'total',
        current: { value: 1234, date: '2026-03-15', kind: 'estimated' },
        volume: 20,
      },
    ]);
    expect(billOf(billFromRow(seoulBillRow(), seoul)).meterReadings).toBeUndefined();
  });

  it.each<[ImportRecord, string]>([
    [{ current_reading: '1234' }, 'meter: is required when the row has readings (the meter ID)'],
    [{ meter: 'M-0001', previous_reading: '1200' }, 'current_reading: is required when the row has readings'],
    [
      { meter: 'M-0001', current_reading: 'day=1234' },
      'current_reading: gives day where the usage has total',
    ],
    [{ meter: 'M-0001', current_reading: '12.5' }, 'current_reading: "12.5" is not written register=value'],
    [
      { meter: 'M-0001', current_reading: '1234', current_reading_kind: 'guessed' },
      'current_reading_kind: "guessed" is not actual or estimated',
    ],
    [
      {
        meter: 'M-0001',
        previous_reading: '1200',
        previous_reading_date: '2026-03-20',
        current_reading: '1234',
      },
      'current_reading_date: 2026-03-15 is before previous_reading_date 2026-03-20',
    ],
    [
      { meter: 'M-0001', current_reading: '1234', previous_reading_kind: 'actual' },
      'previous_reading_kind: is set but previous_reading is not',
    ],
  ])('rejects readings %o', (over, reason) => {
    expect(reasonOf(billFromRow(seoulBillRow(over), seoul))).toContain(reason);
  });
});

describe('importBills: readings of a meter the account has', () => {
  it('rejects a bill whose readings name a meter its account does not have, and stores the others', async () => {
    const accounts = new MemoryAccounts();
    await accounts.putMany([accountOf(accountFromRow(seoulAccountRow(), seoul))]);
    const bills = new MemoryBills();
    const result = await importBills(
      { config: seoul, accounts, bills },
      rowsOf([
        seoulBillRow({ meter: 'M-0001', current_reading: '1234' }),
        seoulBillRow({ period: '2026-05', meter: 'M-9999', current_reading: '1254' }),
      ]),
    );
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'meter: account 123456789 has no meter M-9999 (M-0001)'],
    ]);
    expect(bills.items.get('123456789|2026-03')?.meterReadings?.[0]?.current.value).toBe(1234);
    expect(bills.items.has('123456789|2026-05')).toBe(false);
  });
});
