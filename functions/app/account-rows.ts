// Import rows: one row of an accounts file as an Account of the utility, or every reason it is not one.
// Pure, yet in app/ rather than domain/: the account_number cell is checked by app/account-number.ts,
// which the use cases share, and the domain may not import app.
import type { UtilityConfig } from '#config/schema';
import { type Account, accountSchema, type Meter, meterSchema, paymentMethodSchema } from '#domain/account';
import { choiceField, field, type ImportRecord, Problems, parts, schemaProblems } from '#domain/import-cells';
import { toE164 } from '#domain/phone';
import { accountNumberMatches } from './account-number.ts';

export type AccountRowResult = { ok: true; account: Account } | { ok: false; reason: string };

export const MAX_PHONES_PER_IMPORTED_ACCOUNT = 20;
const MAX_METERS = 10;

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

/** The account_number cell of an accounts or bills row: required, in the utility's printed format. */
export function checkAccountNumberField(
  record: ImportRecord,
  config: UtilityConfig,
  problems: Problems,
): string {
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

  const paymentText = choiceField(record, 'payment_method', paymentMethodSchema.options, problems);

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
    virtualAccount: bank !== '' ? { bank, number } : undefined,
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
