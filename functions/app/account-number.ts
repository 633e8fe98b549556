// Checks an account number against the utility's printed format before any lookup.
import { ValidationError } from '#domain/errors';
import type { Deps } from './ports.ts';

const patterns = new Map<string, RegExp>();

export function accountNumberMatches(config: Deps['config'], accountNumber: string): boolean {
  let pattern = patterns.get(config.accountNumber.pattern);
  if (!pattern) {
    pattern = new RegExp(`^(?:${config.accountNumber.pattern})$`);
    patterns.set(config.accountNumber.pattern, pattern);
  }
  return pattern.test(accountNumber);
}

export function checkAccountNumber(
  config: Deps['config'],
  accountNumber: string,
  field = 'accountNumber',
): void {
  if (!accountNumberMatches(config, accountNumber)) {
    throw new ValidationError('The account number is not in the format printed on the bill.', [
      { field, message: `expected something like ${config.accountNumber.example}` },
    ]);
  }
}
