// Use cases: list an account's bills (newest first, by cursor) and show one bill in full.
import { primaryLanguage } from '#config/schema';
import { type Account, maskName } from '#domain/account';
import { amountPaid, type Bill, type BillMeterReading, effectiveStatus } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { NotFoundError } from '#domain/errors';
import { formatMoney } from '#domain/money';
import type { Deps } from './ports.ts';

export const BILL_PAGE_DEFAULT = 12;
export const BILL_PAGE_MAX = 50;

export interface BillSummary {
  period: string;
  issuedAt: string;
  dueDate: string;
  status: Bill['status'];
  currency: string;
  amountDue: number;
  amountDueText: string;
  usage: { volume: number; unit: string; estimated: boolean };
}

function summarize(bill: Bill, today: string, locale: string): BillSummary {
  return {
    period: bill.period,
    issuedAt: bill.issuedAt,
    dueDate: bill.dueDate,
    status: effectiveStatus(bill, today),
    currency: bill.currency,
    amountDue: bill.amountDue,
    amountDueText: formatMoney(bill.amountDue, bill.currency, locale),
    usage: { volume: bill.usage.volume, unit: bill.usage.unit, estimated: bill.usage.estimated },
  };
}

export interface BillList {
  accountNumber: string;
  items: BillSummary[];
  nextCursor: string | null;
}

export async function listBills(
  deps: Pick<Deps, 'config' | 'clock' | 'bills'>,
  request: { accountNumber: string; limit?: number; cursor?: string },
): Promise<BillList> {
  const page = await deps.bills.list(request.accountNumber, {
    limit: request.limit ?? BILL_PAGE_DEFAULT,
    cursor: request.cursor,
  });
  const today = localDate(deps.clock.now(), deps.config.timeZone);
  return {
    accountNumber: request.accountNumber,
    items: page.items.map((bill) => summarize(bill, today, deps.config.locale)),
    nextCursor: page.cursor ?? null,
  };
}

export interface BillDetail extends BillSummary {
  accountNumber: string;
  usagePeriod: Bill['usagePeriod'];
  usage: Bill['usage'];
  charges: Bill['charges'];
  reductions: Bill['reductions'];
  arrears: number;
  lateFee: number;
  totals: { charges: number; reductions: number; paid: number; outstanding: number };
  payments: Bill['payments'];
  customer: { holderName: string; address: string; households: number; sharePerHousehold: number };
  payment: {
    method: 'auto-pay' | 'giro';
    virtualAccount: { bank: string; number: string } | null;
  };
  contact: { phone: string; districtOffice: { code: string; name: string; phone: string } | null };
  /** Per meter and register, the previous and current readings; empty on a bill imported without them. */
  meterReadings: BillMeterReading[];
}

export async function getBill(
  deps: Pick<Deps, 'config' | 'clock' | 'bills' | 'accounts'>,
  request: { accountNumber: string; period: string },
): Promise<BillDetail> {
  const { config } = deps;
  const { bill, account } = await billAndAccount(deps, request);
  const today = localDate(deps.clock.now(), config.timeZone);
  const language = primaryLanguage(config);
  const district = config.districts.find((d) => d.code === account.district);
  const charges = bill.charges.reduce((t, l) => t + l.amount, 0);
  const reductions = bill.reductions.reduce((t, l) => t + l.amount, 0);
  const paid = amountPaid(bill);
  return {
    ...summarize(bill, today, config.locale),
    accountNumber: bill.accountNumber,
    usagePeriod: bill.usagePeriod,
    usage: bill.usage,
    charges: bill.charges,
    reductions: bill.reductions,
    arrears: bill.arrears,
    lateFee: bill.lateFee,
    totals: { charges, reductions, paid, outstanding: Math.max(0, bill.amountDue - paid) },
    payments: bill.payments,
    customer: {
      holderName: maskName(account.holderName),
      address: account.address,
      households: account.households,
      // Whole currency units round up so the shares never add up to less than the bill.
      sharePerHousehold: Math.ceil(bill.amountDue / account.households),
    },
    payment: { method: account.paymentMethod, virtualAccount: account.virtualAccount ?? null },
    contact: {
      phone: config.contactPhone,
      districtOffice: district
        ? { code: district.code, name: district.name[language] ?? district.code, phone: district.officePhone }
        : null,
    },
    meterReadings: bill.meterReadings ?? [],
  };
}

/** A bill of the account and the account itself, read together; 404 `bill-not-found` when either is missing. */
export async function billAndAccount(
  deps: Pick<Deps, 'bills' | 'accounts'>,
  request: { accountNumber: string; period: string },
): Promise<{ bill: Bill; account: Account }> {
  const [bill, account] = await Promise.all([
    deps.bills.get(request.accountNumber, request.period),
    deps.accounts.get(request.accountNumber),
  ]);
  if (!bill || !account) {
    throw new NotFoundError(
      'bill-not-found',
      `There is no bill for period ${request.period} on this account.`,
    );
  }
  return { bill, account };
}
