// Use cases: import accounts and bills from rows of a staff spreadsheet, rejecting bad rows by line.
import { z } from 'zod';
import { primaryLanguage, type UtilityConfig } from '#config/schema';
import { type Account, accountSchema, type Meter, meterSchema, paymentMethodSchema } from '#domain/account';
import {
  type Bill,
  billSchema,
  billStatusSchema,
  type ChargeLine,
  expectedAmountDue,
  paymentSchema,
} from '#domain/bill';
import { dueDateOf } from '#domain/calendar';
import { currencyExponent, toMinor } from '#domain/money';
import { isPeriod } from '#domain/period';
import { toE164 } from '#domain/phone';
import { rateFor } from '#domain/tariff';
import { accountNumberMatches } from './account-number.ts';
import type { AccountStore, BillStore } from './ports.ts';

/** One data row as read from a file: column name -> text. Columns absent from the file are absent here. */
export type ImportRecord = Record<string, string | undefined>;

export interface ImportRow {
  /** 1-based line of the file the row starts on (the header is line 1). */
  line: number;
  record: ImportRecord;
  /** A problem the reader already found (e.g. a wrong number of fields); the row is rejected with it. */
  problem?: string;
}

export interface ImportReject {
  line: number;
  reason: string;
  record: ImportRecord;
}

export interface ImportProgress {
  read: number;
  imported: number;
  rejected: number;
}

export interface ImportResult extends ImportProgress {
  rejects: ImportReject[];
}

export interface ImportOptions {
  /** Rows written to the store in one call (default 100). */
  batchSize?: number;
  /** Batches being written at the same time (default 4). */
  concurrency?: number;
  /** Called after every batch is written. */
  onProgress?: (progress: ImportProgress) => void;
}

export type ImportKind = 'accounts' | 'bills';

/** The columns of each kind of file; optional columns may be left out of the header altogether. */
export const IMPORT_COLUMNS = {
  accounts: {
    required: ['account_number', 'holder_name', 'address', 'district', 'payment_method', 'meters'],
    optional: ['virtual_account_bank', 'virtual_account_number', 'households', 'phones'],
  },
  bills: {
    required: [
      'account_number',
      'period',
      'usage_from',
      'usage_to',
      'usage',
      'charges',
      'amount_due',
      'issued_at',
      'status',
    ],
    optional: [
      'estimated',
      'unit',
      'reductions',
      'arrears',
      'late_fee',
      'due_date',
      'paid_at',
      'paid_amount',
      'paid_method',
    ],
  },
} as const satisfies Record<ImportKind, { required: readonly string[]; optional: readonly string[] }>;

export const MAX_PHONES_PER_IMPORTED_ACCOUNT = 20;
const MAX_METERS = 10;
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_CONCURRENCY = 4;

const list = (items: readonly string[], last = 'and') =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
const oneOf = (items: readonly string[]) => list(items, 'or');

/**
 * Checks a header (names already trimmed and lower-cased) and returns one sentence saying what is
 * wrong with it, or undefined when every required column is there and no column is unknown or repeated.
 */
export function checkHeader(kind: ImportKind, header: string[]): string | undefined {
  const { required, optional } = IMPORT_COLUMNS[kind];
  const known = new Set<string>([...required, ...optional]);
  const named = header.filter((name) => name !== '');
  const missing = required.filter((name) => !named.includes(name));
  const unknown = [...new Set(named.filter((name) => !known.has(name)))];
  const repeated = [...new Set(named.filter((name, i) => named.indexOf(name) !== i))];
  const problems: string[] = [];
  if (missing.length > 0) {
    problems.push(`lacks the required column${missing.length > 1 ? 's' : ''} ${list(missing)}`);
  }
  if (unknown.length > 0) {
    problems.push(
      `has the unknown column${unknown.length > 1 ? 's' : ''} ${list(unknown.map((n) => `"${n}"`))}` +
        ` (known: ${[...known].join(', ')})`,
    );
  }
  if (repeated.length > 0) problems.push(`names ${list(repeated)} more than once`);
  return problems.length > 0 ? `The header row ${problems.join('; it ')}.` : undefined;
}

export type AccountRowResult = { ok: true; account: Account } | { ok: false; reason: string };
export type BillRowResult = { ok: true; bill: Bill } | { ok: false; reason: string };

/** Collects "column: message" problems of one row. */
class Problems {
  private readonly items: string[] = [];
  add(column: string, message: string): void {
    this.items.push(`${column}: ${message}`);
  }
  get any(): boolean {
    return this.items.length > 0;
  }
  get reason(): string {
    return this.items.join('; ');
  }
}

const field = (record: ImportRecord, column: string): string => (record[column] ?? '').trim();

/** "a; b;" -> ["a", "b"]: the separated parts of a cell, empty parts dropped. */
const parts = (text: string): string[] =>
  text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** Maps schema issue paths back to the column the value came from. */
function columnOf(path: PropertyKey[], columns: Record<string, string>): string {
  const joined = path.map(String).join('.');
  for (const [prefix, column] of Object.entries(columns)) {
    if (joined === prefix || joined.startsWith(`${prefix}.`)) return column;
  }
  return joined || '(row)';
}

function schemaProblems(error: z.ZodError, columns: Record<string, string>, problems: Problems): void {
  for (const issue of error.issues) problems.add(columnOf(issue.path, columns), issue.message);
}

const ACCOUNT_COLUMN_OF_FIELD: Record<string, string> = {
  accountNumber: 'account_number',
  holderName: 'holder_name',
  address: 'address',
  district: 'district',
  paymentMethod: 'payment_method',
  'virtualAccount.bank': 'virtual_account_bank',
  'virtualAccount.number': 'virtual_account_number',
  virtualAccount: 'virtual_account_number',
  households: 'households',
  meters: 'meters',
  phones: 'phones',
};

function checkAccountNumberField(record: ImportRecord, config: UtilityConfig, problems: Problems): string {
  const accountNumber = field(record, 'account_number');
  if (accountNumber === '') problems.add('account_number', 'is required');
  else if (!accountNumberMatches(config, accountNumber)) {
    problems.add(
      'account_number',
      `"${accountNumber}" is not an account number of ${config.id} (expected something like ${config.accountNumber.example})`,
    );
  }
  return accountNumber;
}

function parseMeters(text: string, config: UtilityConfig, problems: Problems): Meter[] {
  const entries = parts(text);
  if (entries.length === 0) {
    problems.add('meters', 'at least one meter is required, written ID:kind');
    return [];
  }
  if (entries.length > MAX_METERS) problems.add('meters', `${entries.length} meters, at most ${MAX_METERS}`);
  const kinds = config.meterKinds.map((m) => m.kind);
  const meters: Meter[] = [];
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) {
      problems.add('meters', `"${entry}" is not written ID:kind (e.g. M-1:${kinds[0]})`);
      continue;
    }
    const id = entry.slice(0, colon).trim();
    const kind = entry.slice(colon + 1).trim();
    const kindConfig = config.meterKinds.find((m) => m.kind === kind);
    if (!meterSchema.shape.id.safeParse(id).success) {
      problems.add('meters', `"${id}" is not a meter ID (1 to 40 letters, digits and dashes)`);
    } else if (meters.some((m) => m.id === id)) {
      problems.add('meters', `meter "${id}" is listed twice`);
    }
    if (!kindConfig) {
      problems.add('meters', `"${kind}" is not a meter kind of ${config.id} (${kinds.join(', ')})`);
      continue;
    }
    meters.push({ id, kind: kindConfig.kind, unit: kindConfig.unit, registers: [...kindConfig.registers] });
  }
  return meters;
}

function parsePhones(text: string, config: UtilityConfig, problems: Problems): string[] {
  const phones: string[] = [];
  const entries = parts(text);
  for (const entry of entries) {
    const e164 = toE164(entry, config.country);
    if (!e164) problems.add('phones', `"${entry}" is not a valid phone number for ${config.country}`);
    // The same phone written two ways is registered once.
    else if (!phones.includes(e164)) phones.push(e164);
  }
  if (phones.length > MAX_PHONES_PER_IMPORTED_ACCOUNT) {
    problems.add('phones', `${phones.length} phones, at most ${MAX_PHONES_PER_IMPORTED_ACCOUNT}`);
  }
  return phones;
}

/** One row of an accounts file as an Account of this utility, or every reason it is not one. */
export function accountFromRow(record: ImportRecord, config: UtilityConfig): AccountRowResult {
  const problems = new Problems();
  const accountNumber = checkAccountNumberField(record, config, problems);

  const holderName = field(record, 'holder_name');
  if (holderName === '') problems.add('holder_name', 'is required');
  const address = field(record, 'address');
  if (address === '') problems.add('address', 'is required');

  const district = field(record, 'district');
  if (district === '') problems.add('district', 'is required');
  else if (!config.districts.some((d) => d.code === district)) {
    problems.add(
      'district',
      `"${district}" is not a district code of ${config.id} (${config.districts.map((d) => d.code).join(', ')})`,
    );
  }

  const paymentText = field(record, 'payment_method').toLowerCase();
  const payment = paymentMethodSchema.safeParse(paymentText);
  if (!payment.success) {
    problems.add(
      'payment_method',
      paymentText === ''
        ? `is required (${paymentMethodSchema.options.join(' or ')})`
        : `"${field(record, 'payment_method')}" is not ${oneOf(paymentMethodSchema.options)}`,
    );
  }

  const bank = field(record, 'virtual_account_bank');
  const number = field(record, 'virtual_account_number');
  if ((bank === '') !== (number === '')) {
    const [empty, set] =
      bank === ''
        ? ['virtual_account_bank', 'virtual_account_number']
        : ['virtual_account_number', 'virtual_account_bank'];
    problems.add(empty, `is required when ${set} is set (give both or neither)`);
  }

  const householdsText = field(record, 'households');
  let households = 1;
  if (householdsText !== '') {
    households = Number(householdsText);
    if (!/^\d+$/.test(householdsText) || households < 1 || households > 1000) {
      problems.add('households', `"${householdsText}" is not a whole number from 1 to 1000`);
    }
  }

  const phones = parsePhones(field(record, 'phones'), config, problems);
  const meters = parseMeters(field(record, 'meters'), config, problems);
  if (problems.any) return { ok: false, reason: problems.reason };

  const parsed = accountSchema.safeParse({
    accountNumber,
    holderName,
    address,
    district,
    paymentMethod: paymentText,
    ...(bank !== '' ? { virtualAccount: { bank, number } } : {}),
    households,
    meters,
    phones,
  });
  if (!parsed.success) {
    schemaProblems(parsed.error, ACCOUNT_COLUMN_OF_FIELD, problems);
    return { ok: false, reason: problems.reason };
  }
  return { ok: true, account: parsed.data };
}

const BILL_COLUMN_OF_FIELD: Record<string, string> = {
  accountNumber: 'account_number',
  period: 'period',
  currency: 'period',
  'usagePeriod.from': 'usage_from',
  'usagePeriod.to': 'usage_to',
  'usage.unit': 'unit',
  'usage.estimated': 'estimated',
  usage: 'usage',
  charges: 'charges',
  reductions: 'reductions',
  arrears: 'arrears',
  lateFee: 'late_fee',
  amountDue: 'amount_due',
  dueDate: 'due_date',
  issuedAt: 'issued_at',
  status: 'status',
  'payments.0.paidAt': 'paid_at',
  'payments.0.amount': 'paid_amount',
  'payments.0.method': 'paid_method',
};

const localDate = z.iso.date();
const instantWithOffset = z.iso.datetime({ offset: true });
const paymentMethods = paymentSchema.shape.method.options;

/** Minor units as major units written the way the file writes them: 1234.50 RUB, 13340 KRW. */
export function formatMajor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return (minor / 10 ** exponent).toFixed(exponent);
}

/** Major units written plainly ("1234.56", "-300") to minor units, or a message saying what is wrong. */
export function parseMajor(
  text: string,
  currency: string,
  options: { negative?: boolean } = {},
): { ok: true; minor: number } | { ok: false; message: string } {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    const hint = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? ' (write it without thousands separators)' : '';
    return { ok: false, message: `"${text}" is not an amount${hint}` };
  }
  if (match[1] === '-' && !options.negative) return { ok: false, message: `"${text}" must not be negative` };
  const decimals = match[3]?.length ?? 0;
  if (decimals > exponent) {
    return {
      ok: false,
      message: `"${text}" has ${decimals} decimal${decimals > 1 ? 's' : ''}; ${currency} amounts have ${exponent === 0 ? 'none' : `at most ${exponent}`}`,
    };
  }
  return { ok: true, minor: toMinor(Number(text), currency) };
}

function amountField(
  record: ImportRecord,
  column: string,
  currency: string,
  problems: Problems,
  options: { required?: boolean; negative?: boolean } = {},
): number | undefined {
  const text = field(record, column);
  if (text === '') {
    if (options.required) problems.add(column, 'is required');
    return undefined;
  }
  const result = parseMajor(text, currency, options);
  if (!result.ok) {
    problems.add(column, result.message);
    return undefined;
  }
  return result.minor;
}

/** "water=13340; sewage=9200" with codes from `known` -> code and minor amount per line. */
function parseCodedAmounts(
  record: ImportRecord,
  column: string,
  known: Array<{ code: string }>,
  config: UtilityConfig,
  problems: Problems,
): Array<{ code: string; amount: number }> {
  const lines: Array<{ code: string; amount: number }> = [];
  const codes = known.map((k) => k.code);
  for (const entry of parts(field(record, column))) {
    const equals = entry.indexOf('=');
    if (equals < 0) {
      problems.add(column, `"${entry}" is not written code=amount (e.g. ${codes[0] ?? 'code'}=100)`);
      continue;
    }
    const code = entry.slice(0, equals).trim();
    const amountText = entry.slice(equals + 1).trim();
    if (!codes.includes(code)) {
      problems.add(
        column,
        `"${code}" is not a ${column === 'charges' ? 'tariff' : 'reduction'} code of ${config.id} (${codes.join(', ') || 'none'})`,
      );
      continue;
    }
    if (lines.some((line) => line.code === code)) {
      problems.add(column, `"${code}" is listed twice`);
      continue;
    }
    const amount = parseMajor(amountText, config.currency);
    if (!amount.ok) problems.add(column, `${code}: ${amount.message}`);
    else lines.push({ code, amount: amount.minor });
  }
  return lines;
}

const roundVolume = (value: number) => Math.round(value * 1e6) / 1e6;

/** "23" (the total register) or "day=120; night=45": volume per register, matching a meter kind. */
function parseUsage(
  text: string,
  config: UtilityConfig,
  problems: Problems,
): { registers: Record<string, number>; kind: UtilityConfig['meterKinds'][number] } | undefined {
  const number = /^\d+(\.\d+)?$/;
  const registers: Record<string, number> = {};
  if (text === '') {
    problems.add('usage', 'is required (e.g. 23, or day=120;night=45)');
    return undefined;
  }
  if (number.test(text)) {
    registers.total = Number(text);
  } else {
    for (const entry of parts(text)) {
      const equals = entry.indexOf('=');
      const name = entry.slice(0, equals).trim();
      const value = entry.slice(equals + 1).trim();
      if (equals < 0 || !/^[a-z]+$/.test(name)) {
        problems.add('usage', `"${entry}" is not written register=volume (e.g. day=120)`);
        return undefined;
      }
      if (!number.test(value)) {
        problems.add('usage', `${name}: "${value}" is not a volume (a number, at least 0)`);
        return undefined;
      }
      if (name in registers) {
        problems.add('usage', `register "${name}" is listed twice`);
        return undefined;
      }
      registers[name] = Number(value);
    }
  }
  const names = Object.keys(registers).sort();
  const kind = config.meterKinds.find(
    (m) => m.registers.length === names.length && [...m.registers].sort().every((r, i) => r === names[i]),
  );
  if (!kind) {
    const expected = config.meterKinds.map((m) =>
      m.registers.length === 1
        ? `one number (${m.kind})`
        : `${m.registers.map((r) => `${r}=...`).join(';')} (${m.kind})`,
    );
    problems.add('usage', `"${text}" fits no meter kind of ${config.id}: give ${oneOf(expected)}`);
    return undefined;
  }
  return { registers, kind };
}

function parseLocalDate(record: ImportRecord, column: string, problems: Problems, required: boolean) {
  const text = field(record, column);
  if (text === '') {
    if (required) problems.add(column, 'is required (YYYY-MM-DD)');
    return undefined;
  }
  if (!localDate.safeParse(text).success) {
    problems.add(column, `"${text}" is not a date written YYYY-MM-DD`);
    return undefined;
  }
  return text;
}

/** One row of a bills file as a Bill of this utility, or every reason it is not one. */
export function billFromRow(record: ImportRecord, config: UtilityConfig): BillRowResult {
  const problems = new Problems();
  const { currency } = config;
  const language = primaryLanguage(config);
  const accountNumber = checkAccountNumberField(record, config, problems);

  const period = field(record, 'period');
  if (period === '') problems.add('period', 'is required (YYYY-MM)');
  else if (!isPeriod(period)) problems.add('period', `"${period}" is not a month written YYYY-MM`);

  const usageFrom = parseLocalDate(record, 'usage_from', problems, true);
  const usageTo = parseLocalDate(record, 'usage_to', problems, true);
  if (usageFrom && usageTo && usageFrom > usageTo) {
    problems.add('usage_to', `${usageTo} is before usage_from ${usageFrom}`);
  }

  const usage = parseUsage(field(record, 'usage'), config, problems);

  const estimatedText = field(record, 'estimated').toLowerCase();
  let estimated = false;
  if (estimatedText === 'yes' || estimatedText === 'true') estimated = true;
  else if (estimatedText !== '' && estimatedText !== 'no' && estimatedText !== 'false') {
    problems.add('estimated', `"${field(record, 'estimated')}" is not yes, no, true or false`);
  }

  const unitText = field(record, 'unit');
  const units = [...new Set(config.meterKinds.map((m) => m.unit))];
  let unit = usage?.kind.unit ?? config.meterKinds[0]?.unit;
  if (unitText !== '') {
    const found = units.find((u) => u.toLowerCase() === unitText.toLowerCase());
    if (found) unit = found;
    else problems.add('unit', `"${unitText}" is not a unit of ${config.id} (${units.join(', ')})`);
  }

  const chargeAmounts = parseCodedAmounts(record, 'charges', config.tariffs, config, problems);
  if (chargeAmounts.length === 0 && field(record, 'charges') === '') {
    problems.add(
      'charges',
      `at least one charge is required, written code=amount (e.g. ${config.tariffs[0]?.code}=100)`,
    );
  }
  const reductionAmounts = parseCodedAmounts(record, 'reductions', config.reductions, config, problems);

  const arrears = amountField(record, 'arrears', currency, problems) ?? 0;
  const lateFee = amountField(record, 'late_fee', currency, problems) ?? 0;
  const amountDue = amountField(record, 'amount_due', currency, problems, { required: true, negative: true });

  const dueDate = parseLocalDate(record, 'due_date', problems, false);
  const issuedAt = parseLocalDate(record, 'issued_at', problems, true);

  const statusText = field(record, 'status').toLowerCase();
  const status = billStatusSchema.safeParse(statusText);
  if (!status.success) {
    problems.add(
      'status',
      statusText === ''
        ? `is required (${oneOf(billStatusSchema.options)})`
        : `"${field(record, 'status')}" is not ${oneOf(billStatusSchema.options)}`,
    );
  }

  const paidAt = field(record, 'paid_at');
  if (paidAt !== '' && !instantWithOffset.safeParse(paidAt).success) {
    problems.add(
      'paid_at',
      `"${paidAt}" is not a date and time with an offset (e.g. 2026-03-31T14:05:00+09:00)`,
    );
  }
  const paidAmount = amountField(record, 'paid_amount', currency, problems);
  if (paidAmount === 0) problems.add('paid_amount', 'must be more than 0');
  const paidMethodText = field(record, 'paid_method').toLowerCase();
  const paidMethod = paidMethodText === '' ? 'giro' : paidMethodText;
  if (!(paymentMethods as readonly string[]).includes(paidMethod)) {
    problems.add('paid_method', `"${field(record, 'paid_method')}" is not ${oneOf(paymentMethods)}`);
  }
  const paidAmountText = field(record, 'paid_amount');
  if (paidAt !== '' && paidAmountText === '') problems.add('paid_amount', 'is required when paid_at is set');
  if (paidAt === '' && paidAmountText !== '') problems.add('paid_at', 'is required when paid_amount is set');
  if (paidAt === '' && paidAmountText === '' && paidMethodText !== '') {
    problems.add('paid_method', 'is set but paid_at and paid_amount are not');
  }

  if (problems.any || !usage || !unit || amountDue === undefined) {
    return { ok: false, reason: problems.reason };
  }

  const total = roundVolume(Object.values(usage.registers).reduce((a, b) => a + b, 0));
  const charges: ChargeLine[] = chargeAmounts.map(({ code, amount }) => {
    const component = config.tariffs.find((t) => t.code === code);
    const label = component?.label[language] ?? code;
    const rate = component ? rateFor(component, period) : undefined;
    const volume = component?.register === undefined ? total : usage.registers[component.register];
    return rate !== undefined && volume !== undefined
      ? { code, label, volume, rate, amount }
      : { code, label, amount };
  });
  const reductions = reductionAmounts.map(({ code, amount }) => ({
    code,
    label: config.reductions.find((r) => r.code === code)?.label[language] ?? code,
    amount,
  }));

  const expected = expectedAmountDue({ charges, reductions, arrears, lateFee });
  if (expected !== amountDue) {
    problems.add(
      'amount_due',
      `${formatMajor(amountDue, currency)} does not equal charges - reductions + arrears + late_fee (${formatMajor(expected, currency)})`,
    );
    return { ok: false, reason: problems.reason };
  }

  const parsed = billSchema.safeParse({
    accountNumber,
    period,
    currency,
    usagePeriod: { from: usageFrom, to: usageTo },
    usage: { volume: total, unit, registers: usage.registers, estimated },
    charges,
    reductions,
    arrears,
    lateFee,
    amountDue,
    dueDate: dueDate ?? dueDateOf(period, config.billing.due),
    issuedAt,
    status: statusText,
    payments:
      paidAt !== '' && paidAmount !== undefined ? [{ paidAt, amount: paidAmount, method: paidMethod }] : [],
  });
  if (!parsed.success) {
    schemaProblems(parsed.error, BILL_COLUMN_OF_FIELD, problems);
    return { ok: false, reason: problems.reason };
  }
  return { ok: true, bill: parsed.data };
}

/** Rows in batches, each row either mapped to an item under a key or rejected. */
async function runImport<T>(
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions,
  map: (row: ImportRow) => { ok: true; item: T } | { ok: false; reason: string },
  keyOf: (record: ImportRecord) => string | undefined,
  describeKey: string,
  store: (batch: Array<{ row: ImportRow; item: T }>) => Promise<{ stored: number; rejects: ImportReject[] }>,
): Promise<ImportResult> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const result: ImportResult = { read: 0, imported: 0, rejected: 0, rejects: [] };
  const firstLineOf = new Map<string, number>();
  let batch: Array<{ row: ImportRow; item: T }> = [];
  let pending = 0;

  const reject = (reject: ImportReject) => {
    result.rejects.push(reject);
    result.rejected += 1;
  };
  const report = () =>
    options.onProgress?.({ read: result.read, imported: result.imported, rejected: result.rejected });
  // Batches hold distinct keys (duplicates are rejected above), so several may be written at once.
  const inFlight: Array<Promise<void>> = [];
  const flush = async () => {
    const current = batch;
    batch = [];
    pending = 0;
    const task = (current.length > 0 ? store(current) : Promise.resolve({ stored: 0, rejects: [] })).then(
      ({ stored, rejects }) => {
        result.imported += stored;
        for (const r of rejects) reject(r);
        report();
      },
    );
    // Marks the task handled until it is awaited, so a failure waits its turn instead of crashing the process.
    task.catch(() => undefined);
    inFlight.push(task);
    if (inFlight.length >= concurrency) await inFlight.shift();
  };

  for await (const row of rows) {
    result.read += 1;
    pending += 1;
    // A later row with the same key is rejected whatever became of the earlier one: the file is ambiguous.
    const key = keyOf(row.record);
    const first = key === undefined ? undefined : firstLineOf.get(key);
    if (row.problem !== undefined) {
      reject({ line: row.line, reason: row.problem, record: row.record });
    } else if (first !== undefined) {
      reject({
        line: row.line,
        reason: `duplicate of line ${first} (same ${describeKey})`,
        record: row.record,
      });
    } else {
      const mapped = map(row);
      if (mapped.ok) batch.push({ row, item: mapped.item });
      else reject({ line: row.line, reason: mapped.reason, record: row.record });
    }
    if (key !== undefined && first === undefined) firstLineOf.set(key, row.line);
    if (pending >= batchSize) await flush();
  }
  if (pending > 0 || result.read === 0) await flush();
  const failed = (await Promise.allSettled(inFlight)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  result.rejects.sort((a, b) => a.line - b.line);
  return result;
}

/** Creates or replaces the accounts of the good rows; reports every other row with its line and reason. */
export async function importAccounts(
  deps: { config: UtilityConfig; accounts: AccountStore },
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return runImport(
    rows,
    options,
    (row) => {
      const mapped = accountFromRow(row.record, deps.config);
      return mapped.ok ? { ok: true, item: mapped.account } : mapped;
    },
    (record) => field(record, 'account_number') || undefined,
    'account_number',
    async (batch) => {
      await deps.accounts.putMany(batch.map(({ item }) => item));
      return { stored: batch.length, rejects: [] };
    },
  );
}

/** Creates or replaces the bills of the good rows whose account exists; reports every other row. */
export async function importBills(
  deps: { config: UtilityConfig; accounts: AccountStore; bills: BillStore },
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return runImport(
    rows,
    options,
    (row) => {
      const mapped = billFromRow(row.record, deps.config);
      return mapped.ok ? { ok: true, item: mapped.bill } : mapped;
    },
    (record) => {
      const accountNumber = field(record, 'account_number');
      const period = field(record, 'period');
      return accountNumber && period ? `${accountNumber}|${period}` : undefined;
    },
    'account_number and period',
    async (batch) => {
      const existing = await deps.accounts.existing(batch.map(({ item }) => item.accountNumber));
      const good = batch.filter(({ item }) => existing.has(item.accountNumber));
      const rejects = batch
        .filter(({ item }) => !existing.has(item.accountNumber))
        .map(({ row, item }) => ({
          line: row.line,
          reason: `account_number: account ${item.accountNumber} does not exist`,
          record: row.record,
        }));
      if (good.length > 0) await deps.bills.putMany(good.map(({ item }) => item));
      return { stored: good.length, rejects };
    },
  );
}
