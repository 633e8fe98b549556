// A bill's receipt: every fact of the bill and its payments, written out in the utility's language.
import { type Account, maskName } from './account.ts';
import { amountPaid, type Bill, type BillReading, type BillStatus, effectiveStatus } from './bill.ts';
import {
  type Formatting,
  householdShare,
  type NoticeLanguage,
  noticeDate,
  noticeDateRange,
  noticeMoney,
  noticeMonth,
  noticeUsage,
  noticeVolume,
} from './notice-text-format.ts';
import { type ReceiptWords, receiptWords } from './receipt-text.ts';

/** An amount in minor units and as the receipt prints it. */
export interface Money {
  amount: number;
  text: string;
}

export interface ReceiptReading {
  value: number;
  date: string;
  dateText: string;
  kind: BillReading['kind'];
}

export interface Receipt {
  language: NoticeLanguage;
  currency: string;
  title: string;
  utility: { name: string; contactPhone: string };
  accountNumber: string;
  /** Masked as on every notice: the receipt may be printed and left lying about. */
  holderName: string;
  address: string;
  period: string;
  periodText: string;
  issued: { date: string; text: string };
  usagePeriod: { from: string; to: string; text: string };
  usage: {
    volume: number;
    unit: Bill['usage']['unit'];
    registers: Record<string, number>;
    estimated: boolean;
    /** Which rule gave the volume; null on bills made before the billing cycle recorded it. */
    method: NonNullable<Bill['usage']['method']> | null;
    text: string;
  };
  /** Per meter and register; empty when the bill was imported without readings. */
  meterReadings: Array<{
    meterId: string;
    register: string;
    previous: ReceiptReading | null;
    current: ReceiptReading;
    volume: number;
    volumeText: string;
  }>;
  charges: Array<{ code: string; label: string; volume: number | null; rate: number | null; amount: Money }>;
  reductions: Array<{ code: string; label: string; amount: Money }>;
  arrears: Money;
  lateFee: Money;
  amountDue: Money;
  dueDate: { date: string; text: string };
  payments: Array<{
    paidAt: string;
    paidAtText: string;
    method: Bill['payments'][number]['method'];
    methodText: string;
    reference: string | null;
    amount: Money;
  }>;
  amountPaid: Money;
  outstanding: Money;
  status: BillStatus;
  statusText: string;
  /** On a bill not (fully) paid: the receipt is a statement of what is owed, not proof of payment. */
  statement: string | null;
  virtualAccount: { bank: string; number: string } | null;
  households: number;
  /** Each household's share, where more than one household shares the meter. */
  sharePerHousehold: Money | null;
}

/** What the receipt needs of the utility: its name and contact in the receipt's language, and its formatting. */
export interface ReceiptContext {
  formatting: Formatting;
  utilityName: string;
  contactPhone: string;
  /** The utility's local date today: an unpaid bill past its due date is overdue. */
  today: string;
}

export function buildReceipt(bill: Bill, account: Account, context: ReceiptContext): Receipt {
  const f = context.formatting;
  const words: ReceiptWords = receiptWords[f.language];
  const money = (amount: number): Money => ({ amount, text: noticeMoney(amount, f) });
  const reading = (r: BillReading): ReceiptReading => ({
    value: r.value,
    date: r.date,
    dateText: noticeDate(r.date, f),
    kind: r.kind,
  });
  const paid = amountPaid(bill);
  const outstanding = Math.max(0, bill.amountDue - paid);
  const status = effectiveStatus(bill, context.today);
  return {
    language: f.language,
    currency: bill.currency,
    title: words.title(bill.usage.unit === 'kWh' ? 'electricity' : 'water'),
    utility: { name: context.utilityName, contactPhone: context.contactPhone },
    accountNumber: bill.accountNumber,
    holderName: maskName(account.holderName.trim()),
    address: account.address,
    period: bill.period,
    periodText: noticeMonth(bill.period, f),
    issued: { date: bill.issuedAt, text: noticeDate(bill.issuedAt, f) },
    usagePeriod: {
      ...bill.usagePeriod,
      text: noticeDateRange(bill.usagePeriod.from, bill.usagePeriod.to, f),
    },
    usage: {
      volume: bill.usage.volume,
      unit: bill.usage.unit,
      registers: bill.usage.registers,
      estimated: bill.usage.estimated,
      method: bill.usage.method ?? null,
      text: noticeUsage(bill.usage, f),
    },
    meterReadings: (bill.meterReadings ?? []).map((line) => ({
      meterId: line.meterId,
      register: line.register,
      previous: line.previous ? reading(line.previous) : null,
      current: reading(line.current),
      volume: line.volume,
      volumeText: noticeVolume(line.volume, bill.usage.unit, f),
    })),
    charges: bill.charges.map((line) => ({
      code: line.code,
      label: line.label,
      volume: line.volume ?? null,
      rate: line.rate ?? null,
      amount: money(line.amount),
    })),
    reductions: bill.reductions.map((line) => ({
      code: line.code,
      label: line.label,
      amount: money(line.amount),
    })),
    arrears: money(bill.arrears),
    lateFee: money(bill.lateFee),
    amountDue: money(bill.amountDue),
    dueDate: { date: bill.dueDate, text: noticeDate(bill.dueDate, f) },
    payments: bill.payments.map((payment) => ({
      paidAt: payment.paidAt,
      paidAtText: noticeDate(payment.paidAt, f),
      method: payment.method,
      methodText: words.paymentMethods[payment.method],
      reference: payment.reference ?? null,
      amount: money(payment.amount),
    })),
    amountPaid: money(paid),
    outstanding: money(outstanding),
    status,
    statusText: words.statuses[status],
    // A partly paid bill is still owed: only a bill with nothing outstanding is proof of payment.
    statement: status === 'paid' && outstanding === 0 ? null : words.statement,
    virtualAccount: account.virtualAccount ?? null,
    households: account.households,
    sharePerHousehold:
      account.households > 1
        ? money(householdShare(bill.amountDue, account.households, bill.currency))
        : null,
  };
}
