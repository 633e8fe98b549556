// Import columns: the columns of an accounts or bills file, and the check of a file's header row.
import { list } from './import-cells.ts';

export type ImportKind = 'accounts' | 'bills' | 'payments' | 'autopay' | 'readings';

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
      'meter',
      'previous_reading',
      'previous_reading_date',
      'previous_reading_kind',
      'current_reading',
      'current_reading_date',
      'current_reading_kind',
    ],
  },
  payments: {
    required: ['account_number', 'period', 'amount', 'paid_at', 'method', 'reference'],
    optional: [],
  },
  /** The bank's auto-pay results: one row per withdrawal attempt. */
  autopay: {
    required: ['account_number', 'period', 'status', 'at', 'reference'],
    optional: ['reason', 'amount'],
  },
  readings: {
    required: ['account_number', 'values', 'read_at'],
    optional: ['meter'],
  },
} as const satisfies Record<ImportKind, { required: readonly string[]; optional: readonly string[] }>;

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
