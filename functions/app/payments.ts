// Use cases: record a payment on its bill once per reference (a bank file's row, or a clerk's entry).
import type { Account } from '#domain/account';
import { amountPaid, type Bill } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { AppError, ConflictError, ForbiddenError, UnavailableError } from '#domain/errors';
import { formatMajor } from '#domain/import-cells';
import {
  applyPayment,
  outstanding,
  type PaymentInput,
  type PaymentRules,
  refusalBeforeBill,
  samePayment,
} from '#domain/payment';
import { canSeeDistrict, type StaffPrincipal } from '#domain/staff';
import type { Deps, RecordedPayment } from './ports.ts';

type PaymentDeps = Pick<Deps, 'config' | 'clock' | 'accounts' | 'payments'>;

/** Concurrent payments on one bill take turns: each lost turn reads the bill again. */
const MAX_ATTEMPTS = 8;

/** Why a payment was not recorded, and how the HTTP layer answers it. */
export interface PaymentProblem {
  kind: 'unprocessable' | 'conflict' | 'forbidden' | 'unavailable';
  code:
    | 'unknown-account'
    | 'unknown-bill'
    | 'period-in-future'
    | 'paid-in-future'
    | 'overpayment'
    | 'reference-reused'
    | 'district-forbidden'
    | 'bill-busy';
  message: string;
}

export type PaymentOutcome =
  /** recorded: this call wrote it; duplicate: the same payment was recorded under its reference before. */
  { ok: true; result: 'recorded' | 'duplicate'; bill: Bill } | { ok: false; problem: PaymentProblem };

function rulesOf(deps: Pick<Deps, 'config' | 'clock'>): PaymentRules {
  const now = deps.clock.now();
  return {
    now,
    today: localDate(now, deps.config.timeZone),
    overpaymentTolerance: deps.config.payments.overpaymentTolerance,
  };
}

const refused = (
  kind: PaymentProblem['kind'],
  code: PaymentProblem['code'],
  message: string,
): PaymentOutcome => ({ ok: false, problem: { kind, code, message } });

/** The answer for a reference that is recorded already: the same payment again, or another one (a conflict). */
async function repeatOf(deps: PaymentDeps, payment: PaymentInput, recorded: RecordedPayment) {
  if (!samePayment(recorded, payment)) {
    return refused(
      'conflict',
      'reference-reused',
      `reference ${payment.reference} is already recorded for another payment (account ${recorded.accountNumber}, period ${recorded.period}, ${formatMajor(recorded.amount, deps.config.currency)} ${deps.config.currency})`,
    );
  }
  const current = await deps.payments.billForPayment(payment.accountNumber, payment.period);
  if (!current) throw new Error(`The bill of payment ${payment.reference} is gone`);
  return { ok: true as const, result: 'duplicate' as const, bill: current.bill };
}

/**
 * Records a payment on the bill of its account and period, once per reference: the same payment again changes
 * nothing and answers `duplicate`; the same reference with another account, period or amount is a conflict. The
 * payment item and the bill's new state are one write, made only on the bill as read, so concurrent payments on
 * one bill each land. `mayPay` limits the accounts the caller may record for (a district clerk's districts).
 */
export async function recordPayment(
  deps: PaymentDeps,
  payment: PaymentInput,
  mayPay: (account: Account) => boolean = () => true,
): Promise<PaymentOutcome> {
  const rules = rulesOf(deps);
  const early = refusalBeforeBill(payment, rules);
  if (early) return refused('unprocessable', early.code, early.message);
  const account = await deps.accounts.get(payment.accountNumber);
  if (!account) {
    return refused('unprocessable', 'unknown-account', `account ${payment.accountNumber} does not exist`);
  }
  if (!mayPay(account)) {
    return refused(
      'forbidden',
      'district-forbidden',
      `account ${payment.accountNumber} is in district ${account.district}, which is not yours`,
    );
  }
  const recorded = await deps.payments.get(payment.reference);
  if (recorded) return repeatOf(deps, payment, recorded);

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await deps.payments.billForPayment(payment.accountNumber, payment.period);
    if (!current) {
      return refused(
        'unprocessable',
        'unknown-bill',
        `account ${payment.accountNumber} has no bill for period ${payment.period}`,
      );
    }
    const applied = applyPayment(current.bill, payment, rules);
    if (!applied.ok) return refused('unprocessable', applied.refusal.code, applied.refusal.message);
    const write = await deps.payments.record(
      { ...payment, recordedAt: rules.now.toISOString() },
      applied.bill,
      current.version,
    );
    if (write === 'recorded') return { ok: true, result: 'recorded', bill: applied.bill };
    if (write === 'reference-taken') {
      // Recorded by a concurrent request with the same reference.
      const winner = await deps.payments.get(payment.reference);
      if (winner) return repeatOf(deps, payment, winner);
    }
  }
  return refused(
    'unavailable',
    'bill-busy',
    `the bill of ${payment.accountNumber} for ${payment.period} kept changing; try again`,
  );
}

/** A bill's state after a payment, as the clerk's console shows it. */
export interface PaymentAnswer {
  result: 'recorded' | 'duplicate';
  reference: string;
  bill: {
    accountNumber: string;
    period: string;
    currency: string;
    status: Bill['status'];
    amountDue: number;
    amountPaid: number;
    /** What is still owed: carried to the next bill as arrears if it stays unpaid. */
    outstanding: number;
    dueDate: string;
    payments: Bill['payments'];
  };
}

/** POST /admin/payments: staff (admin, or clerks for their districts' accounts) enter a payment; problems are thrown. */
export async function enterPayment(
  deps: PaymentDeps,
  staff: StaffPrincipal,
  payment: PaymentInput,
): Promise<PaymentAnswer> {
  const outcome = await recordPayment(deps, payment, (account) => canSeeDistrict(staff, account.district));
  if (!outcome.ok) throw errorOf(outcome.problem);
  const { bill } = outcome;
  return {
    result: outcome.result,
    reference: payment.reference,
    bill: {
      accountNumber: bill.accountNumber,
      period: bill.period,
      currency: bill.currency,
      status: bill.status,
      amountDue: bill.amountDue,
      amountPaid: amountPaid(bill),
      outstanding: outstanding(bill),
      dueDate: bill.dueDate,
      payments: bill.payments,
    },
  };
}

function errorOf(problem: PaymentProblem): AppError {
  const message = `${problem.message[0]?.toUpperCase()}${problem.message.slice(1)}.`;
  switch (problem.kind) {
    case 'conflict':
      return new ConflictError(problem.code, message);
    case 'forbidden':
      return new ForbiddenError(problem.code, message);
    case 'unavailable':
      return new UnavailableError(problem.code, message, 1);
    case 'unprocessable':
      return new AppError('unprocessable', problem.code, message);
  }
}
