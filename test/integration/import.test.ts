// Imports of the fixture CSV files into DynamoDB Local: stored rows, rejects by line, idempotent re-runs, the real CLI.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '#adapters/clock';
import { DynamoAccountStore } from '#adapters/dynamo/account-store';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import { DynamoReadingStore } from '#adapters/dynamo/reading-store';
import { DynamoSubscriptionStore } from '#adapters/dynamo/subscription-store';
import { grantToken } from '#app/auth';
import { type ImportResult, importAccounts, importBills } from '#app/import';
import { allNoticeRecipients } from '#app/notice-recipients';
import { importReadings } from '#app/readings-import';
import { loadUtilityConfig } from '#config/load';
import type { ImportKind } from '#domain/import-columns';
import { route as subscribeRoute } from '#handlers/http/subscribe';
import { lastCode, testWorld } from '#test/support/deps';
import { createTestTable, type TestTable } from '#test/support/dynamo';
import { call } from '#test/support/http';
import { addPhoneCall, verifyCall } from '#test/support/subscription-calls';
import { importRows, scanFile } from '../../bin/ops/csv.ts';
import { FatalError } from '../../bin/ops/exit.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let table: TestTable;
let accounts: DynamoAccountStore;
let bills: DynamoBillStore;
let subscriptions: DynamoSubscriptionStore;
let work: string;

/** Reads a file the way the CLI does and imports it through the use case, in small batches. */
async function importFile(
  kind: ImportKind,
  utility: 'seoul-water' | 'tyumen-power',
  path: string,
): Promise<ImportResult> {
  const config = loadUtilityConfig(utility);
  const scanned = await scanFile(kind, path, path);
  const rows = importRows(path, path, scanned.header);
  if (kind === 'readings') {
    const readings = new DynamoReadingStore(table.client, table.tableName);
    return importReadings({ config, clock: systemClock, readings }, rows, { batchSize: 3 });
  }
  return kind === 'accounts'
    ? importAccounts({ config, accounts, subscriptions, clock: systemClock }, rows, { batchSize: 3 })
    : importBills({ config, accounts, bills }, rows, { batchSize: 3 });
}

const linesAndReasons = (result: ImportResult) => result.rejects.map((r) => [r.line, r.reason]);

beforeAll(async () => {
  table = await createTestTable();
  accounts = new DynamoAccountStore(table.client, table.tableName);
  bills = new DynamoBillStore(table.client, table.tableName, 16);
  subscriptions = new DynamoSubscriptionStore(table.client, table.tableName);
  work = await mkdtemp(join(tmpdir(), 'utilitydesk-import-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const SEOUL_ACCOUNT_REJECTS = [
  [5, 'account_number: "12345" is not an account number of seoul-water (expected something like 123456789)'],
  [6, 'district: "99999" is not a district code of seoul-water (11110, 11140, 11440, 11500, 11680, 11710)'],
  [7, 'phones: "010-12" is not a valid phone number for KR'],
  [8, 'payment_method: "cash" is not auto-pay or giro'],
  [9, 'virtual_account_number: is required when virtual_account_bank is set (give both or neither)'],
  [10, 'duplicate of line 2 (same account_number)'],
  [11, 'meters: "two-tariff" is not a meter kind of seoul-water (single)'],
  [12, 'households: "0" is not a whole number from 1 to 1000'],
];

const SEOUL_BILL_REJECTS = [
  [5, 'amount_due: 12400 does not equal charges - reductions + arrears + late_fee (12300)'],
  [6, 'account_number: account 999999999 does not exist'],
  [7, 'charges: "gas" is not a tariff code of seoul-water (water, sewage, water-use-levy)'],
  [
    8,
    'charges: water: "5800.5" has 1 decimal; KRW amounts have none; amount_due: "12300.5" has 1 decimal; KRW amounts have none',
  ],
  [9, 'duplicate of line 2 (same account_number and period)'],
  [10, 'usage_to: 2025-11-16 is before usage_from 2026-01-15'],
  [11, 'status: "open" is not unpaid, paid or overdue'],
  [12, 'period: "2026-13" is not a month written YYYY-MM'],
];

describe('import into DynamoDB Local, seoul-water', () => {
  it('imports the good accounts (a BOM, a quoted comma, a blank line) and rejects the rest by line', async () => {
    const result = await importFile('accounts', 'seoul-water', join(FIXTURES, 'seoul-accounts.csv'));

    expect(result).toMatchObject({ read: 12, imported: 4, rejected: 8 });
    expect(linesAndReasons(result)).toEqual(SEOUL_ACCOUNT_REJECTS);
    expect(result.rejects[2]?.record).toMatchObject({ account_number: '523456789', phones: '010-12' });

    expect(await accounts.get('123456789')).toEqual({
      accountNumber: '123456789',
      holderName: '김철수',
      address: '서울특별시 종로구 세종대로 1',
      district: '11110',
      paymentMethod: 'auto-pay',
      households: 1,
      meters: [{ id: 'M-0001', kind: 'single', unit: 'm3', registers: ['total'] }],
      phones: ['+821012345678', '+821023456789'],
    });
    expect(await accounts.get('223456789')).toMatchObject({
      address: '서울특별시 마포구 월드컵로 10, 101동 202호',
      virtualAccount: { bank: '우리은행', number: '1002-123-456789' },
      households: 2,
    });
    expect(await accounts.get('323456789')).toMatchObject({ phones: [], households: 1 });
    expect(await accounts.get('133456789')).toMatchObject({ address: '서울특별시 송파구 "잠실" 아파트 3동' });
    expect(await accounts.hasPhone('123456789', '+821023456789')).toBe(true);
    expect(await accounts.existing(['423456789', '523456789', '923456789'])).toEqual(new Set());
  });

  it('imports the bills of existing accounts from a CRLF file and rejects the rest by line', async () => {
    const result = await importFile('bills', 'seoul-water', join(FIXTURES, 'seoul-bills.csv'));

    expect(result).toMatchObject({ read: 11, imported: 3, rejected: 8 });
    expect(linesAndReasons(result)).toEqual(SEOUL_BILL_REJECTS);

    expect(await bills.get('123456789', '2026-01')).toMatchObject({
      currency: 'KRW',
      usage: { volume: 23, unit: 'm3', registers: { total: 23 }, estimated: false },
      amountDue: 28290,
      // The end of January 2026 is a Saturday: Seoul's due date moves to the next business day.
      dueDate: '2026-02-02',
      status: 'paid',
      payments: [{ paidAt: '2026-01-25T09:30:00+09:00', amount: 28290, method: 'auto-pay' }],
    });
    expect(await bills.get('223456789', '2026-03')).toMatchObject({
      reductions: [{ code: 'vulnerable', label: '취약계층 감면', amount: 5000 }],
      arrears: 10000,
      lateFee: 300,
      amountDue: 43430,
      status: 'overdue',
    });
    const page = await bills.list('123456789', { limit: 10 });
    expect(page.items.map((b) => b.period)).toEqual(['2026-03', '2026-01']);
    expect(await bills.get('999999999', '2026-03')).toBeUndefined();
  });

  it('leaves the same data when the same files are imported again', async () => {
    const before = {
      accounts: await Promise.all(
        ['123456789', '223456789', '323456789', '133456789'].map((n) => accounts.get(n)),
      ),
      bills: await bills.list('123456789', { limit: 10 }),
    };

    const again = await importFile('accounts', 'seoul-water', join(FIXTURES, 'seoul-accounts.csv'));
    const billsAgain = await importFile('bills', 'seoul-water', join(FIXTURES, 'seoul-bills.csv'));

    expect(again).toMatchObject({ read: 12, imported: 4, rejected: 8 });
    expect(linesAndReasons(again)).toEqual(SEOUL_ACCOUNT_REJECTS);
    expect(billsAgain).toMatchObject({ read: 11, imported: 3, rejected: 8 });
    expect(linesAndReasons(billsAgain)).toEqual(SEOUL_BILL_REJECTS);
    expect({
      accounts: await Promise.all(
        ['123456789', '223456789', '323456789', '133456789'].map((n) => accounts.get(n)),
      ),
      bills: await bills.list('123456789', { limit: 10 }),
    }).toEqual(before);
  });

  it('unregisters a phone that an edited file no longer lists', async () => {
    const original = await readFile(join(FIXTURES, 'seoul-accounts.csv'), 'utf8');
    const edited = original.replace('010-1234-5678;+82 10-2345-6789', '010-1234-5678');
    expect(edited).not.toBe(original);
    const path = join(work, 'seoul-accounts-edited.csv');
    await writeFile(path, edited);

    const result = await importFile('accounts', 'seoul-water', path);

    expect(result).toMatchObject({ read: 12, imported: 4, rejected: 8 });
    expect((await accounts.get('123456789'))?.phones).toEqual(['+821012345678']);
    expect(await accounts.hasPhone('123456789', '+821023456789')).toBe(false);
    expect(await accounts.hasPhone('123456789', '+821012345678')).toBe(true);
  });
});

describe('re-importing an account without a phone', () => {
  const HEADER = 'account_number,holder_name,address,district,payment_method,phones,meters';
  const MOVED = '+821012345678';
  const STAYS = '+821023456789';
  const HOUSEHOLD = '+821098765432';

  it("ends that phone's own sign-ups on the account: the new holder's bill never reaches it", async () => {
    // The flat changed hands: the utility's export lists the new holder without the old occupant's phone, which
    // had signed up for notices itself. The holder's choice (a household member's phone) and the phone's sign-up
    // on another account it is still registered on keep their notices.
    const world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
    const importText = async (name: string, ...lines: string[]) => {
      const path = join(work, name);
      await writeFile(path, [HEADER, ...lines].join('\n'));
      const scanned = await scanFile('accounts', path, name);
      return importAccounts(world.deps, importRows(path, name, scanned.header));
    };
    const signUp = async (accountNumber: string, phone: string) => {
      const started = await call(subscribeRoute, world.deps, {
        method: 'POST',
        path: '/subscriptions',
        body: { accountNumber, phone, channel: 'sms', language: 'ko', consentVersion: '2026-11' },
      });
      const id = String(started.json.id);
      const verified = await verifyCall(world.deps, id, lastCode(world.sms, phone));
      expect(verified.json).toMatchObject({ subscription: { status: 'active' } });
      return id;
    };
    const other = '223456789,이영희,서울특별시 마포구 월드컵로 10,11440,giro,010-1234-5678,M-0002:single';
    expect(
      await importText(
        'before.csv',
        '123456789,김철수,서울특별시 종로구 세종대로 1,11110,giro,010-1234-5678;010-2345-6789,M-0001:single',
        other,
      ),
    ).toMatchObject({ imported: 2, phonesUnregistered: 0, subscriptionsEnded: 0 });
    const moved = await signUp('123456789', MOVED);
    const elsewhere = await signUp('223456789', MOVED);
    const stays = await signUp('123456789', STAYS);
    const token = grantToken(world.deps, 'account', '123456789').accessToken;
    const added = await addPhoneCall(world.deps, '123456789', token, HOUSEHOLD);
    const household = String(added.json.id);
    const householdVerified = await verifyCall(world.deps, household, lastCode(world.sms, HOUSEHOLD));
    expect(householdVerified.json).toMatchObject({ subscription: { status: 'active', addedBy: 'holder' } });
    world.clock.advance(3600_000);

    const result = await importText(
      'after.csv',
      '123456789,정수진,서울특별시 종로구 세종대로 1,11110,giro,010-2345-6789,M-0001:single',
      other,
    );

    expect(result).toMatchObject({ imported: 2, phonesUnregistered: 1, subscriptionsEnded: 1 });
    expect(await world.deps.subscriptions.get(moved)).toMatchObject({
      status: 'ended',
      endedBy: 'ops',
      endedReason: 'unregistered-phone',
      endedAt: world.clock.now().toISOString(),
    });
    const status = async (id: string) => (await world.deps.subscriptions.get(id))?.status;
    expect([await status(elsewhere), await status(stays), await status(household)]).toEqual([
      'active',
      'active',
      'active',
    ]);
    const { recipients } = await allNoticeRecipients(world.deps, '2026-12');
    expect(recipients.map((s) => s.id).sort()).toEqual([elsewhere, stays, household].sort());

    expect(
      await importText(
        'after-again.csv',
        '123456789,정수진,서울특별시 종로구 세종대로 1,11110,giro,010-2345-6789,M-0001:single',
        other,
      ),
    ).toMatchObject({ phonesUnregistered: 0, subscriptionsEnded: 0 });
  });
});

describe('import into DynamoDB Local, tyumen-power', () => {
  it('imports accounts with a two-tariff meter, without the optional virtual-account columns', async () => {
    const result = await importFile('accounts', 'tyumen-power', join(FIXTURES, 'tyumen-accounts.csv'));

    expect(result).toMatchObject({ read: 5, imported: 2, rejected: 3 });
    expect(linesAndReasons(result)).toEqual([
      [4, 'meters: "three-tariff" is not a meter kind of tyumen-power (single, two-tariff)'],
      [
        5,
        'account_number: "720000000" is not an account number of tyumen-power (expected something like 1234567833)',
      ],
      [6, 'phones: "12345" is not a valid phone number for RU'],
    ]);
    expect(await accounts.get('7200000001')).toMatchObject({
      holderName: 'Иванов Иван Иванович',
      meters: [{ id: 'E-100001', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
      phones: ['+79123456789'],
    });
    expect((await accounts.get('7200000002'))?.phones).toEqual(['+79220001122', '+79041234567']);
  });

  it('imports day/night bills in kopecks with volumes and rates per register', async () => {
    const result = await importFile('bills', 'tyumen-power', join(FIXTURES, 'tyumen-bills.csv'));

    expect(result).toMatchObject({ read: 6, imported: 3, rejected: 3 });
    expect(linesAndReasons(result)).toEqual([
      [4, 'charges: energy-day: "729.601" has 3 decimals; RUB amounts have at most 2'],
      [
        5,
        'usage: "day=120" fits no meter kind of tyumen-power: give one number (single) or day=...;night=... (two-tariff)',
      ],
      [6, 'amount_due: 900.00 does not equal charges - reductions + arrears + late_fee (849.00)'],
    ]);
    expect(await bills.get('7200000001', '2026-02')).toEqual({
      accountNumber: '7200000001',
      period: '2026-02',
      currency: 'RUB',
      usagePeriod: { from: '2026-02-01', to: '2026-02-28' },
      usage: { volume: 165, unit: 'kWh', registers: { day: 120, night: 45 }, estimated: false },
      charges: [
        { code: 'energy-day', label: 'Электроэнергия, день', volume: 120, rate: 6.08, amount: 72960 },
        { code: 'energy-night', label: 'Электроэнергия, ночь', volume: 45, rate: 3.62, amount: 16290 },
      ],
      reductions: [],
      source: 'import',
      arrears: 0,
      lateFee: 0,
      amountDue: 89250,
      dueDate: '2026-03-10',
      issuedAt: '2026-03-05',
      status: 'unpaid',
      payments: [],
    });
    expect(await bills.get('7200000001', '2026-01')).toMatchObject({
      usage: { estimated: true },
      arrears: 15000,
      amountDue: 90280,
      dueDate: '2026-02-10',
      status: 'overdue',
    });
    expect(await bills.get('7200000002', '2026-02')).toMatchObject({
      reductions: [{ code: 'benefit', label: 'Льгота', amount: 42450 }],
      payments: [{ paidAt: '2026-03-08T12:00:00+05:00', amount: 42450, method: 'card' }],
    });
  });
});

describe('import bills with meter readings into DynamoDB Local, tyumen-power', () => {
  // The supplier's billing system prints, per register, the previous and current readings on every bill: they
  // come over with the bills and the bill detail shows them.
  it('stores the readings a bill prints, and rejects an unknown meter, a register mismatch and a bad kind', async () => {
    await importFile('accounts', 'tyumen-power', join(FIXTURES, 'tyumen-accounts.csv'));
    const result = await importFile('bills', 'tyumen-power', join(FIXTURES, 'tyumen-bills-readings.csv'));

    expect(result).toMatchObject({ read: 5, imported: 2, rejected: 3 });
    expect(linesAndReasons(result)).toEqual([
      [4, 'meter: account 7200000001 has no meter E-100009 (E-100001)'],
      [5, 'current_reading: gives day where the usage has total'],
      [6, 'current_reading_kind: "read" is not actual or estimated'],
    ]);
    expect((await bills.get('7200000001', '2026-02'))?.meterReadings).toEqual([
      {
        meterId: 'E-100001',
        register: 'day',
        previous: { value: 1000, date: '2026-01-31', kind: 'actual' },
        current: { value: 1120, date: '2026-02-28', kind: 'actual' },
        volume: 120,
      },
      {
        meterId: 'E-100001',
        register: 'night',
        previous: { value: 400, date: '2026-01-31', kind: 'actual' },
        current: { value: 445, date: '2026-02-28', kind: 'actual' },
        volume: 45,
      },
    ]);
    expect((await bills.get('7200000002', '2026-02'))?.meterReadings).toEqual([
      {
        meterId: 'E-100002',
        register: 'total',
        previous: { value: 3000, date: '2026-02-01', kind: 'actual' },
        current: { value: 3150, date: '2026-02-28', kind: 'estimated' },
        volume: 150,
      },
    ]);
  });
});

describe('import readings into DynamoDB Local, tyumen-power', () => {
  // The meter readers' readings of March come as a file after the bills: they count for March's window (the
  // billing run reads them by the window guard), and a value below the February bill's printed reading is refused.
  it('stores the good readings as counting readings of their window and rejects the rest by line', async () => {
    await importFile('accounts', 'tyumen-power', join(FIXTURES, 'tyumen-accounts.csv'));
    await importFile('bills', 'tyumen-power', join(FIXTURES, 'tyumen-bills-readings.csv'));
    const result = await importFile('readings', 'tyumen-power', join(FIXTURES, 'tyumen-readings.csv'));

    expect(result).toMatchObject({ read: 6, imported: 2, rejected: 4 });
    expect(linesAndReasons(result)).toEqual([
      [4, 'account_number: There is no account 7200000009.'],
      [5, 'values: This meter takes 2 readings (day, night).'],
      [6, 'values: The total reading 3100 is below the previous one, 3300.'],
      [7, expect.stringMatching(/^read_at: 2099-01-01 is in the future \(today is /)],
    ]);
    const readings = new DynamoReadingStore(table.client, table.tableName);
    const counting = await readings.countingFor([
      { accountNumber: '7200000001', meterId: 'E-100001', period: '2026-03' },
      { accountNumber: '7200000002', meterId: 'E-100002', period: '2026-03' },
    ]);
    expect(
      counting.map(({ accountNumber, values, readAt, source }) => ({
        accountNumber,
        values,
        readAt,
        source,
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          accountNumber: '7200000001',
          values: { day: 1200, night: 480 },
          readAt: '2026-03-20',
          source: 'import',
        },
        { accountNumber: '7200000002', values: { total: 3300 }, readAt: '2026-03-21', source: 'import' },
      ]),
    );
    const again = await importFile('readings', 'tyumen-power', join(FIXTURES, 'tyumen-readings.csv'));
    expect(again).toMatchObject({ imported: 2, rejected: 4 });
    expect((await readings.list('7200000002', { limit: 10 })).items).toHaveLength(1);
  });

  // At window close the supplier's own billing system takes the window's readings as a file: the export reads the
  // guards' period index shard by shard, and writes what the import reads.
  it('exports the counting readings of the window with the ops CLI, to a file or stdout', async () => {
    const target = ['--utility', 'tyumen-power', '--endpoint', table.endpoint, '--table', table.tableName];
    const out = join(work, 'export-2026-03.csv');
    const toFile = await ops(['export', 'readings', '--period', '2026-03', '--out', out, ...target]);
    expect(toFile.stderr).not.toContain('error:');
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toMatch(/^Exported 2 readings of window 2026-03 from table /);
    expect(await readFile(out, 'utf8')).toBe(
      [
        'account_number,meter,values,read_at,source',
        '7200000001,E-100001,day=1200;night=480,2026-03-20,import',
        '7200000002,E-100002,3300,2026-03-21,import',
        '',
      ].join('\n'),
    );
    const empty = await ops(['export', 'readings', '--period', '2026-05', ...target]);
    expect([empty.code, empty.stdout]).toEqual([0, 'account_number,meter,values,read_at,source\n']);
    const bad = await ops(['export', 'readings', '--period', '2026-5', ...target]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: --period "2026-5" is not a month as YYYY-MM (e.g. 2026-12).');
  }, 120_000);
});

describe('reading import files', () => {
  it('numbers rows by the line they start on, whatever the line endings and multi-line cells', async () => {
    const path = join(work, 'shapes.csv');
    const text = [
      'Account_Number, holder_name ,address,district,payment_method,meters,',
      '100000001,Kim,"line one\r\nline two",11110,giro,M-1:single,',
      '',
      '100000002,Lee,a,11110,giro',
      '100000003,Park,a,11110,giro,M-3:single,extra',
      '100000004,Choi,a,11110,giro,M-4:single',
    ].join('\r\n');
    await writeFile(path, text);

    const scanned = await scanFile('accounts', path, 'shapes.csv');
    const rows = [];
    for await (const row of importRows(path, 'shapes.csv', scanned.header)) rows.push(row);

    expect(scanned).toEqual({
      header: ['account_number', 'holder_name', 'address', 'district', 'payment_method', 'meters', ''],
      rows: 4,
      bom: false,
    });
    expect(rows.map((r) => [r.line, r.record.account_number, r.problem])).toEqual([
      [2, '100000001', undefined],
      [
        5,
        '100000002',
        'the row has 5 fields where the header has 6 (a missing comma, or an unclosed quote?)',
      ],
      [
        6,
        '100000003',
        'the row has a value ("extra") in field 7, which the header does not name (an extra comma?)',
      ],
      [7, '100000004', undefined],
    ]);
    expect(rows[0]?.record.address).toBe('line one\nline two');
  });

  it('stops before anything is written when the file is not UTF-8, not CSV, or empty', async () => {
    const legacy = join(work, 'cp949.csv');
    await writeFile(
      legacy,
      Buffer.concat([
        Buffer.from('account_number,holder_name,address,district,payment_method,meters\n'),
        Buffer.from([0xb1, 0xe8, 0xc3, 0xb6, 0xbc, 0xf6]),
        Buffer.from(',a,11110,giro,M-1:single\n'),
      ]),
    );
    await expect(scanFile('accounts', legacy, 'cp949.csv')).rejects.toThrow(
      new FatalError(
        'cp949.csv is not UTF-8 text (line 2): save it as "CSV UTF-8" (Excel) or convert it, then try again.',
      ),
    );

    const unclosed = join(work, 'unclosed.csv');
    await writeFile(
      unclosed,
      'account_number,holder_name,address,district,payment_method,meters\n1,"Kim,a\n',
    );
    await expect(scanFile('accounts', unclosed, 'unclosed.csv')).rejects.toThrow(
      /^unclosed.csv is not valid CSV: /,
    );

    const empty = join(work, 'empty.csv');
    await writeFile(empty, '\n\n');
    await expect(scanFile('bills', empty, 'empty.csv')).rejects.toThrow(
      'empty.csv is empty: it needs a header row naming the columns account_number, period,',
    );
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The CLI's own defaults must not leak in from the shell running the tests.
const {
  DYNAMODB_ENDPOINT: _endpoint,
  UTILITYDESK_TABLE: _table,
  UTILITYDESK_UTILITY: _utility,
  ...childEnv
} = process.env;

function ops(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'bin/ops.ts', ...args], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('the ops CLI', () => {
  it('imports with exit code 2 and a rejects file when rows are rejected, 0 and no rejects file when none are', async () => {
    const cliTable = await createTestTable();
    const file = join(work, 'seoul-accounts.csv');
    await writeFile(file, await readFile(join(FIXTURES, 'seoul-accounts.csv')));
    const target = [
      '--utility',
      'seoul-water',
      '--endpoint',
      cliTable.endpoint,
      '--table',
      cliTable.tableName,
    ];

    const run = await ops(['import', 'accounts', file, ...target]);

    expect(run.stderr).not.toContain('error:');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /rows read\s+12\n\s+imported\s+4\n\s+rejected\s+8\n\s+phones unregistered\s+0\n\s+subscriptions ended\s+0\n\s+duration\s+[\d.]+ s\n/,
    );
    expect(run.stdout).toMatch(new RegExp(`rejects\\s+${file}\\.rejects\\.csv\n`));
    expect(run.stdout).toContain('line 7: phones: "010-12" is not a valid phone number for KR');
    const rejectsText = await readFile(`${file}.rejects.csv`, 'utf8');
    expect(rejectsText.startsWith('\uFEFFline,reason,account_number,holder_name,address,district,')).toBe(
      true,
    );
    const rejects = parse(rejectsText, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rejects.map((r) => [Number(r.line), r.reason])).toEqual(SEOUL_ACCOUNT_REJECTS);
    expect(rejects[2]).toMatchObject({
      account_number: '523456789',
      holder_name: '강동원',
      phones: '010-12',
    });
    const stored = new DynamoAccountStore(cliTable.client, cliTable.tableName);
    expect(await stored.existing(['123456789', '223456789', '323456789', '133456789', '523456789'])).toEqual(
      new Set(['123456789', '223456789', '323456789', '133456789']),
    );

    // The same accounts without the bad rows, the first without its second phone: everything imports, that
    // phone is unregistered, and the old rejects file goes.
    const clean = join(work, 'seoul-accounts-clean.csv');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = String(lines[1]).replace(';+82 10-2345-6789', '');
    await writeFile(clean, [1, 2, 3, 4, 14].map((n) => lines[n - 1]).join('\n'));
    const cleanRun = await ops(['import', 'accounts', clean, ...target, '--rejects', `${file}.rejects.csv`]);
    expect(cleanRun.code).toBe(0);
    expect(cleanRun.stdout).toMatch(
      /rows read\s+4\n\s+imported\s+4\n\s+rejected\s+0\n\s+phones unregistered\s+1\n\s+subscriptions ended\s+0\n/,
    );
    await expect(readFile(`${file}.rejects.csv`)).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('ends with exit code 1 and one clear sentence for a missing file or a file of the other kind', async () => {
    const missing = join(work, 'no-such-file.csv');
    const run = await ops([
      'import',
      'bills',
      missing,
      '--endpoint',
      table.endpoint,
      '--table',
      table.tableName,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: The file ${missing} does not exist.`);

    const wrongKind = await ops([
      'import',
      'accounts',
      join(FIXTURES, 'seoul-bills.csv'),
      '--endpoint',
      table.endpoint,
      '--table',
      table.tableName,
    ]);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain(
      'The header row lacks the required columns holder_name, address, district, payment_method and meters;',
    );
    expect(wrongKind.stderr).toContain('It looks like bills: use `import bills`.');
  }, 120_000);
});
