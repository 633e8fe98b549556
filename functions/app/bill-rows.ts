// Import rows: one row of a bills file as a Bill of the utility, or every reason it is not one.
// Pure, yet in app/ rather than domain/: it shares the account_number cell check of account-rows.ts,
// which uses app/account-number.ts, and the domain may not import app.
import { z } from 'zod';
import { primaryLanguage, type UtilityConfig } from '#config/schema';
import {
  type Bill,
  type BillMeterReading,
  billSchema,
  billStatusSchema,
  type ChargeLine,
  expectedAmountDue,
  paymentSchema,
} from '#domain/bill';
import {
  amountField,
  choiceField,
  field,
  formatMajor,
  type ImportRecord,
  list,
  oneOf,
  Problems,
  parseLocalDate,
  parseMajor,
  parts,
  schemaProblems,
} from '#domain/import-cells';
import { isPeriod } from '#domain/period';
import { rateFor } from '#domain/tariff';
import { dueDateOf } from '#domain/tariff-due';
import { checkAccountNumberField } from './account-rows.ts';

export type BillRowResult = { ok: true; bill: Bill } | { ok: false; reason: string };

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
  meterReadings: 'meter',
};

const instantWithOffset = z.iso.datetime({ offset: true });
const paymentMethods = paymentSchema.shape.method.options;

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

// ---- Meter readings printed on the bill (optional columns) ----

const READING_KINDS = ['actual', 'estimated'] as const;

/** "1234" (the total register) or "day=1234;night=187": a whole value per register, or undefined with a problem. */
export function parseReadingValues(
  column: string,
  text: string,
  problems: Problems,
): Record<string, number> | undefined {
  const whole = /^\d+$/;
  if (whole.test(text)) return { total: Number(text) };
  const values: Record<string, number> = {};
  for (const entry of parts(text)) {
    const equals = entry.indexOf('=');
    const name = entry.slice(0, equals).trim();
    const value = entry.slice(equals + 1).trim();
    if (equals < 0 || !/^[a-z]+$/.test(name) || !whole.test(value)) {
      problems.add(column, `"${entry}" is not written register=value with a whole value (e.g. day=1234)`);
      return undefined;
    }
    if (name in values) {
      problems.add(column, `register "${name}" is listed twice`);
      return undefined;
    }
    values[name] = Number(value);
  }
  return values;
}

/**
 * The readings columns of a bill row: `meter`, then `previous_reading` and `current_reading` (values as `usage`
 * writes volumes) with their `_date` (default usage_from and usage_to) and `_kind` (actual or estimated; the
 * current one defaults to estimated on an estimated bill). All empty: the bill has no readings. The registers must
 * be those of the usage; the meter must be on the account, which the import checks against the store.
 */
function parseMeterReadings(
  record: ImportRecord,
  usage: { registers: Record<string, number> } | undefined,
  dates: { from?: string; to?: string },
  estimated: boolean,
  problems: Problems,
): BillMeterReading[] | undefined {
  const meterId = field(record, 'meter');
  const currentText = field(record, 'current_reading');
  const previousText = field(record, 'previous_reading');
  const given = [
    'meter',
    'previous_reading',
    'previous_reading_date',
    'previous_reading_kind',
    'current_reading',
    'current_reading_date',
    'current_reading_kind',
  ].filter((column) => field(record, column) !== '');
  if (given.length === 0) return undefined;
  if (meterId === '') problems.add('meter', 'is required when the row has readings (the meter ID)');
  if (currentText === '') problems.add('current_reading', 'is required when the row has readings');
  const side = (name: 'previous' | 'current', text: string, defaultDate?: string) => {
    if (text === '') {
      for (const column of [`${name}_reading_date`, `${name}_reading_kind`]) {
        if (field(record, column) !== '') problems.add(column, `is set but ${name}_reading is not`);
      }
      return undefined;
    }
    const column = `${name}_reading`;
    const values = parseReadingValues(column, text, problems);
    const date = parseLocalDate(record, `${column}_date`, problems, false) ?? defaultDate;
    const kindText = field(record, `${column}_kind`).toLowerCase();
    const kind =
      kindText === '' ? (name === 'current' && estimated ? 'estimated' : 'actual') : kindText.toLowerCase();
    if (!(READING_KINDS as readonly string[]).includes(kind)) {
      problems.add(`${column}_kind`, `"${field(record, `${column}_kind`)}" is not ${oneOf(READING_KINDS)}`);
    }
    if (values && usage) {
      const expected = Object.keys(usage.registers).sort();
      const named = Object.keys(values).sort();
      if (expected.join() !== named.join()) {
        problems.add(column, `gives ${list(named)} where the usage has ${list(expected)}`);
      }
    }
    return values && date ? { values, date, kind: kind as BillMeterReading['current']['kind'] } : undefined;
  };
  const previous = side('previous', previousText, dates.from);
  const current = side('current', currentText, dates.to);
  if (previous && current && previous.date > current.date) {
    problems.add('current_reading_date', `${current.date} is before previous_reading_date ${previous.date}`);
  }
  if (problems.any || !current || !usage) return undefined;
  return Object.entries(current.values).map(([register, value]) => ({
    meterId,
    register,
    ...(previous
      ? { previous: { value: previous.values[register] ?? 0, date: previous.date, kind: previous.kind } }
      : {}),
    current: { value, date: current.date, kind: current.kind },
    volume: usage.registers[register] ?? 0,
  }));
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

  const statusText = choiceField(record, 'status', billStatusSchema.options, problems);

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

  const meterReadings = parseMeterReadings(
    record,
    usage,
    { from: usageFrom, to: usageTo },
    estimated,
    problems,
  );

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
    ...(meterReadings ? { meterReadings } : {}),
    charges,
    reductions,
    arrears,
    lateFee,
    amountDue,
    dueDate: dueDate ?? dueDateOf(config, period),
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
