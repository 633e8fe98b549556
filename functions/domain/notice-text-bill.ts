// The bill notice in Korean, Russian and English for auto-pay or giro, and the facts all bill-based notices share.
import { DateTime } from 'luxon';
import type { Account } from './account.ts';
import { amountPaid, type Bill } from './bill.ts';
import type { NoticeContext, NoticeDraft, NoticeRecipient } from './notice-text.ts';
import {
  type Formatting,
  householdShare,
  maskAccountNumber,
  maskHolder,
  type NoticeLanguage,
  type NoticeService,
  noticeDate,
  noticeDateRange,
  noticeMoney,
  noticeMonth,
  noticeUsage,
  noticeVolume,
  templateParameters,
} from './notice-text-format.ts';

type Method = Account['paymentMethod'];

/** What the bill is for, in each language's phrase: 수도요금, квитанция за воду, water bill. */
const billNames: Record<NoticeLanguage, Record<NoticeService, string>> = {
  ko: { water: '수도요금', electricity: '전기요금' },
  ru: { water: 'воду', electricity: 'электроэнергию' },
  en: { water: 'water bill', electricity: 'electricity bill' },
};

export function billName(bill: Pick<Bill, 'usage'>, language: NoticeLanguage): string {
  return billNames[language][bill.usage.unit === 'kWh' ? 'electricity' : 'water'];
}

const lateFeeLabels: Record<NoticeLanguage, string> = { ko: '연체가산금', ru: 'Пени', en: 'Late fee' };

/** The strings every bill-based notice (bill, reminder, auto-pay result) is written from. */
export interface BillFacts {
  parameters: {
    utilityName: string;
    month: string;
    holderName: string;
    accountNumber: string;
    usagePeriod: string;
    usage: string;
    charges: string;
    amountBilled: string;
    arrears: string;
    amountDue: string;
    householdShare: string;
    dueDate: string;
    paymentAccount: string;
    withdrawalDate: string;
    outstanding: string;
    contactPhone: string;
  };
  lines: Array<{ text: string; amount: number }>;
  /** How to pay, in a few words, for the essentials: the virtual account or the usual ways. */
  paymentShort: string;
  name: string;
}

interface PaymentWords {
  /** The virtual account, or the usual ways to pay where there is none: in the notice's "how to pay" line. */
  account: (bank: string, number: string) => string;
  none: string;
  /** The same as a sentence of the essentials. */
  accountShort: (bank: string, number: string) => string;
  noneShort: string;
}

const paymentWords: Record<NoticeLanguage, PaymentWords> = {
  ko: {
    account: (bank, number) => `가상계좌 ${bank} ${number}`,
    none: '지로 용지 또는 인터넷뱅킹',
    accountShort: (bank, number) => `가상계좌 ${bank} ${number}`,
    noneShort: '지로 용지 또는 인터넷뱅킹으로 납부',
  },
  ru: {
    account: (bank, number) => `перевод на счёт ${number}, ${bank}`,
    none: 'по квитанции или в личном кабинете',
    accountShort: (bank, number) => `Счёт для оплаты: ${number}, ${bank}`,
    noneShort: 'Оплата по квитанции или в личном кабинете',
  },
  en: {
    account: (bank, number) => `${bank} account ${number}`,
    none: 'with the paper bill or online',
    accountShort: (bank, number) => `Pay to ${bank} account ${number}`,
    noneShort: 'Pay with the paper bill or online',
  },
};

const shareWords: Record<NoticeLanguage, (households: number, share: string) => string> = {
  ko: (n, share) => `\n▶ 세대당 금액: 약 ${share} (${n}세대)`,
  ru: (n, share) => `\nСемей на одном счётчике: ${n}, доля каждой: около ${share}`,
  en: (n, share) => `\nPer household (${n} households): about ${share}`,
};

/** Auto-pay is withdrawn on the configured day of the due date's month (never after the due date), else on it. */
export function withdrawalDate(dueDate: string, autoPayDay: number | undefined): string {
  if (autoPayDay === undefined) return dueDate;
  const due = DateTime.fromISO(dueDate, { zone: 'UTC' });
  const day = due.set({ day: Math.min(autoPayDay, due.daysInMonth ?? 28) });
  return (day < due ? day : due).toISODate() as string;
}

export function billFacts(
  input: { account: Account; bill: Bill; subscription: NoticeRecipient },
  context: NoticeContext,
  f: Formatting,
): BillFacts {
  const { account, bill } = input;
  const language = f.language;
  const money = (minor: number) => noticeMoney(minor, f);
  const label = (labels: NoticeContext['chargeLabels'], code: string, printed: string) =>
    labels?.[code]?.[language] ?? printed;
  const lines = [
    ...bill.charges.map((charge) => {
      // A line's own volume is worth printing only where it differs from the bill's (day and night lines).
      const volume =
        charge.volume !== undefined && charge.volume !== bill.usage.volume
          ? ` (${noticeVolume(charge.volume, bill.usage.unit, f)})`
          : '';
      return {
        text: `- ${label(context.chargeLabels, charge.code, charge.label)}${volume}: ${money(charge.amount)}`,
        amount: charge.amount,
      };
    }),
    ...(bill.lateFee > 0
      ? [{ text: `- ${lateFeeLabels[language]}: ${money(bill.lateFee)}`, amount: bill.lateFee }]
      : []),
    ...bill.reductions.map((reduction) => ({
      text: `- ${label(context.reductionLabels, reduction.code, reduction.label)}: ${money(-reduction.amount)}`,
      amount: -reduction.amount,
    })),
  ];
  // What this bill adds, the late fee on the arrears included: the lines above it add up to it.
  const billed = lines.reduce((sum, line) => sum + line.amount, 0);
  const households = input.subscription.households ?? account.households;
  const share =
    households > 1 && bill.amountDue > 0
      ? shareWords[language](households, money(householdShare(bill.amountDue, households, bill.currency)))
      : '';
  const words = paymentWords[language];
  const virtual = account.virtualAccount;
  return {
    parameters: {
      utilityName: context.utilityNames?.[language] ?? context.utilityName,
      month: noticeMonth(bill.period, f),
      holderName: maskHolder(account.holderName, context.country),
      accountNumber: maskAccountNumber(account.accountNumber),
      usagePeriod: noticeDateRange(bill.usagePeriod.from, bill.usagePeriod.to, f),
      usage: noticeUsage(bill.usage, f),
      charges: lines.map((line) => line.text).join('\n'),
      amountBilled: money(billed),
      arrears: money(bill.arrears),
      amountDue: money(bill.amountDue),
      householdShare: share,
      dueDate: noticeDate(bill.dueDate, f),
      paymentAccount: virtual ? words.account(virtual.bank, virtual.number) : words.none,
      withdrawalDate: noticeDate(withdrawalDate(bill.dueDate, context.autoPayDay), f),
      outstanding: money(bill.amountDue - amountPaid(bill)),
      contactPhone: context.contactPhone,
    },
    lines,
    paymentShort: virtual ? words.accountShort(virtual.bank, virtual.number) : words.noneShort,
    name: billName(bill, language),
  };
}

const billBody: Record<NoticeLanguage, (name: string, method: Method) => string> = {
  ko: (name, method) =>
    [
      `[#{utilityName}] #{month}분 ${name} 안내`,
      '',
      `#{holderName} 고객님, #{month}분 ${name}을 알려드립니다.`,
      '',
      '▶ 고객번호: #{accountNumber}',
      '▶ 사용기간: #{usagePeriod}',
      '▶ 사용량: #{usage}',
      '▶ 요금내역',
      '#{charges}',
      '▶ 당월요금: #{amountBilled}',
      '▶ 미납요금: #{arrears}',
      '▶ 납부할 금액: #{amountDue}#{householdShare}',
      '▶ 납기일: #{dueDate}',
      ...(method === 'giro'
        ? ['▶ 납부방법: #{paymentAccount}', '', '납기일까지 납부해 주세요.']
        : ['▶ 자동이체 출금일: #{withdrawalDate}', '', '출금일 전날까지 통장 잔액을 확인해 주세요.']),
      '문의: #{contactPhone}',
    ].join('\n'),
  ru: (name, method) =>
    [
      `#{utilityName}: квитанция за ${name} за #{month}`,
      '',
      'Абонент: #{holderName}',
      'Лицевой счёт: #{accountNumber}',
      'Период: #{usagePeriod}',
      'Расход: #{usage}',
      'Начислено:',
      '#{charges}',
      'Итого за период: #{amountBilled}',
      'Задолженность: #{arrears}',
      'К оплате: #{amountDue}#{householdShare}',
      'Оплатить до: #{dueDate}',
      ...(method === 'giro'
        ? ['Как оплатить: #{paymentAccount}', '']
        : [
            'Автоплатёж: списание #{withdrawalDate}',
            '',
            'Проверьте, что на карте или счёте достаточно средств.',
          ]),
      'Телефон для справок: #{contactPhone}',
    ].join('\n'),
  en: (name, method) =>
    [
      `#{utilityName}: your ${name} for #{month}`,
      '',
      'Dear #{holderName}, here is your bill.',
      '',
      'Account: #{accountNumber}',
      'Usage period: #{usagePeriod}',
      'Usage: #{usage}',
      'Charges:',
      '#{charges}',
      'This period: #{amountBilled}',
      'Arrears: #{arrears}',
      'Amount due: #{amountDue}#{householdShare}',
      'Due date: #{dueDate}',
      ...(method === 'giro'
        ? ['How to pay: #{paymentAccount}', '']
        : [
            'Auto-pay withdrawal: #{withdrawalDate}',
            '',
            'Please keep enough money in your account the day before.',
          ]),
      'Questions: #{contactPhone}',
    ].join('\n'),
};

const summaryLines: Record<NoticeLanguage, (count: number, amount: string) => string> = {
  ko: (count, amount) => `- 그 밖의 ${count}건: ${amount}`,
  ru: (count, amount) => `- прочие начисления (${count}): ${amount}`,
  en: (count, amount) => `- ${count} more lines: ${amount}`,
};

/** The essentials: amount, due date, how to pay or when it is withdrawn, and whom to call. */
export function billEssentials(
  facts: BillFacts,
  amount: string,
  method: Method,
  language: NoticeLanguage,
): string {
  const p = facts.parameters;
  const name = facts.name;
  switch (language) {
    case 'ko':
      return method === 'giro'
        ? `[${p.utilityName}] ${p.month}분 ${name} ${amount}, 납기 ${p.dueDate}, ${facts.paymentShort}. 문의 ${p.contactPhone}`
        : `[${p.utilityName}] ${p.month}분 ${name} ${amount}, ${p.withdrawalDate} 자동이체 출금 예정(납기 ${p.dueDate}). 문의 ${p.contactPhone}`;
    case 'ru':
      return method === 'giro'
        ? `${p.utilityName}: за ${p.month} к оплате ${amount} до ${p.dueDate}. ${facts.paymentShort}. Тел. ${p.contactPhone}`
        : `${p.utilityName}: ${p.withdrawalDate} автоплатежом будет списано ${amount} за ${p.month} (срок оплаты ${p.dueDate}). Тел. ${p.contactPhone}`;
    case 'en':
      return method === 'giro'
        ? `${p.utilityName}: ${p.month} ${name} ${amount}, due ${p.dueDate}. ${facts.paymentShort}. Questions: ${p.contactPhone}`
        : `${p.utilityName}: ${p.month} ${name} ${amount} will be withdrawn by auto-pay on ${p.withdrawalDate} (due ${p.dueDate}). Questions: ${p.contactPhone}`;
  }
}

export function billDraft(
  input: { account: Account; bill: Bill; subscription: NoticeRecipient },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const facts = billFacts(input, context, f);
  const method = input.account.paymentMethod;
  const template = billBody[f.language](facts.name, method);
  return {
    templateKey: `bill-${method}`,
    template,
    parameters: templateParameters(template, facts.parameters),
    collapsible: {
      key: 'charges',
      lines: facts.lines,
      summary: (count, amount) => summaryLines[f.language](count, noticeMoney(amount, f)),
    },
    essentials: billEssentials(facts, facts.parameters.amountDue, method, f.language),
  };
}
