// Notices about paying a bill: the due-date reminder, and auto-pay's result (withdrawn, or failed: pay another way).
import type { Account } from './account.ts';
import type { Bill } from './bill.ts';
import type { NoticeContext, NoticeDraft, NoticeRecipient } from './notice-text.ts';
import { billEssentials, billFacts, withdrawalDate } from './notice-text-bill.ts';
import {
  type Formatting,
  type NoticeLanguage,
  noticeDate,
  noticeMoney,
  templateParameters,
} from './notice-text-format.ts';

type Method = Account['paymentMethod'];

const reminderBody: Record<NoticeLanguage, (name: string, method: Method) => string> = {
  ko: (name, method) =>
    (method === 'giro'
      ? [
          `[#{utilityName}] ${name} 납기 안내`,
          '',
          `#{holderName} 고객님, #{month}분 ${name} #{outstanding}의 납기일이 #{dueDate}입니다.`,
          '▶ 고객번호: #{accountNumber}',
          '▶ 납부방법: #{paymentAccount}',
          '',
          '이미 납부하셨다면 이 안내는 무시해 주세요.',
        ]
      : [
          `[#{utilityName}] ${name} 자동이체 출금 예정 안내`,
          '',
          `#{holderName} 고객님, #{month}분 ${name} #{outstanding}이 #{withdrawalDate}에 자동이체로 출금될 예정입니다.`,
          '▶ 고객번호: #{accountNumber}',
          '',
          '출금일 전날까지 통장 잔액을 확인해 주세요.',
        ]
    )
      .concat('문의: #{contactPhone}')
      .join('\n'),
  ru: (name, method) =>
    (method === 'giro'
      ? [
          '#{utilityName}: напоминание об оплате',
          '',
          `#{holderName}, срок оплаты квитанции за ${name} за #{month} — #{dueDate}. К оплате: #{outstanding}.`,
          'Лицевой счёт: #{accountNumber}',
          'Как оплатить: #{paymentAccount}',
          '',
          'Если вы уже оплатили, не обращайте внимания на это сообщение.',
        ]
      : [
          '#{utilityName}: скоро списание автоплатежа',
          '',
          `#{holderName}, #{withdrawalDate} автоплатежом будет списано #{outstanding} по квитанции за ${name} за #{month}.`,
          'Лицевой счёт: #{accountNumber}',
          '',
          'Проверьте, что на карте или счёте достаточно средств.',
        ]
    )
      .concat('Телефон для справок: #{contactPhone}')
      .join('\n'),
  en: (name, method) =>
    (method === 'giro'
      ? [
          '#{utilityName}: payment reminder',
          '',
          `Dear #{holderName}, your ${name} for #{month}, #{outstanding}, is due on #{dueDate}.`,
          'Account: #{accountNumber}',
          'How to pay: #{paymentAccount}',
          '',
          'If you have already paid, please ignore this message.',
        ]
      : [
          '#{utilityName}: auto-pay reminder',
          '',
          `Dear #{holderName}, #{outstanding} for your ${name} for #{month} will be withdrawn by auto-pay on #{withdrawalDate}.`,
          'Account: #{accountNumber}',
          '',
          'Please keep enough money in your account the day before.',
        ]
    )
      .concat('Questions: #{contactPhone}')
      .join('\n'),
};

/** A reminder before the due date of what is still unpaid. */
export function dueReminderDraft(
  input: { account: Account; bill: Bill; subscription: NoticeRecipient },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const facts = billFacts(input, context, f);
  // Auto-pay that failed for this bill will not be tried again before the due date: the resident pays as by giro.
  const method: Method =
    input.bill.autoPay?.status === 'not-withdrawn' ? 'giro' : input.account.paymentMethod;
  const template = reminderBody[f.language](facts.name, method);
  return {
    templateKey: `due-reminder-${method}`,
    template,
    parameters: templateParameters(template, facts.parameters),
    essentials: billEssentials(facts, facts.parameters.outstanding, method, f.language),
  };
}

const succeededBody: Record<NoticeLanguage, (name: string) => string> = {
  ko: (name) =>
    [
      `[#{utilityName}] ${name} 자동이체 출금 완료`,
      '',
      `#{holderName} 고객님, #{month}분 ${name} #{paidAmount}이 #{paidOn} 자동이체로 출금되었습니다.`,
      '▶ 고객번호: #{accountNumber}',
      '',
      '이용해 주셔서 감사합니다.',
      '문의: #{contactPhone}',
    ].join('\n'),
  ru: (name) =>
    [
      '#{utilityName}: автоплатёж выполнен',
      '',
      `#{holderName}, #{paidOn} автоплатежом списано #{paidAmount} по квитанции за ${name} за #{month}.`,
      'Лицевой счёт: #{accountNumber}',
      '',
      'Спасибо, что платите вовремя.',
      'Телефон для справок: #{contactPhone}',
    ].join('\n'),
  en: (name) =>
    [
      '#{utilityName}: auto-pay completed',
      '',
      `Dear #{holderName}, #{paidAmount} for your ${name} for #{month} was withdrawn by auto-pay on #{paidOn}.`,
      'Account: #{accountNumber}',
      '',
      'Thank you.',
      'Questions: #{contactPhone}',
    ].join('\n'),
};

const succeededShort: Record<NoticeLanguage, (p: Record<string, string>, name: string) => string> = {
  ko: (p, name) =>
    `[${p.utilityName}] ${p.month}분 ${name} ${p.paidAmount} 자동이체 출금 완료(${p.paidOn}). 문의 ${p.contactPhone}`,
  ru: (p, name) =>
    `${p.utilityName}: ${p.paidOn} автоплатежом списано ${p.paidAmount} за ${name} за ${p.month}. Тел. ${p.contactPhone}`,
  en: (p, name) =>
    `${p.utilityName}: ${p.paidAmount} for your ${p.month} ${name} was withdrawn by auto-pay on ${p.paidOn}. Questions: ${p.contactPhone}`,
};

/** The withdrawal went through: what, when, for which bill. */
export function autoPaySucceededDraft(
  input: {
    account: Account;
    bill: Bill;
    subscription: NoticeRecipient;
    payment: { paidAt: string; amount: number };
  },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const facts = billFacts(input, context, f);
  const values = {
    ...facts.parameters,
    paidAmount: noticeMoney(input.payment.amount, f),
    paidOn: noticeDate(input.payment.paidAt, f),
  };
  const template = succeededBody[f.language](facts.name);
  return {
    templateKey: 'auto-pay-succeeded',
    template,
    parameters: templateParameters(template, values),
    essentials: succeededShort[f.language](values, facts.name),
  };
}

const failedBody: Record<NoticeLanguage, (name: string) => string> = {
  ko: (name) =>
    [
      `[#{utilityName}] ${name} 자동이체 출금 실패 안내`,
      '',
      `#{holderName} 고객님, #{month}분 ${name} #{outstanding}이 #{attemptedOn} 자동이체로 출금되지 않았습니다. 통장 잔액과 자동이체 계좌를 확인해 주세요.`,
      '▶ 고객번호: #{accountNumber}',
      '▶ 사유: #{reason}',
      '▶ 납기일: #{dueDate}',
      '▶ 납부방법: #{paymentAccount}',
      '',
      '납기일까지 위 방법으로 납부해 주세요.',
      '문의: #{contactPhone}',
    ].join('\n'),
  ru: (name) =>
    [
      '#{utilityName}: автоплатёж не прошёл',
      '',
      `#{holderName}, #{attemptedOn} не удалось списать #{outstanding} по квитанции за ${name} за #{month}. Проверьте баланс карты или счёта.`,
      'Лицевой счёт: #{accountNumber}',
      'Причина: #{reason}',
      'Оплатить до: #{dueDate}',
      'Как оплатить: #{paymentAccount}',
      '',
      'Телефон для справок: #{contactPhone}',
    ].join('\n'),
  en: (name) =>
    [
      '#{utilityName}: auto-pay failed',
      '',
      `Dear #{holderName}, we could not withdraw #{outstanding} for your ${name} for #{month} by auto-pay on #{attemptedOn}. Please check your account balance.`,
      'Account: #{accountNumber}',
      'Reason: #{reason}',
      'Due date: #{dueDate}',
      'How to pay: #{paymentAccount}',
      '',
      'Questions: #{contactPhone}',
    ].join('\n'),
};

const failedShort: Record<NoticeLanguage, (p: Record<string, string>, name: string, pay: string) => string> =
  {
    ko: (p, name, pay) =>
      `[${p.utilityName}] ${p.month}분 ${name} ${p.outstanding} 자동이체 출금 실패. 납기 ${p.dueDate}, ${pay}. 문의 ${p.contactPhone}`,
    ru: (p, name, pay) =>
      `${p.utilityName}: автоплатёж ${p.outstanding} за ${name} за ${p.month} не прошёл. Оплатите до ${p.dueDate}. ${pay}. Тел. ${p.contactPhone}`,
    en: (p, name, pay) =>
      `${p.utilityName}: auto-pay of ${p.outstanding} for your ${p.month} ${name} failed. Due ${p.dueDate}. ${pay}. Questions: ${p.contactPhone}`,
  };

/** When the bank gave no reason: the template has one line for it either way. */
const noReason: Record<NoticeLanguage, string> = {
  ko: '은행에서 사유를 알려 오지 않았습니다',
  ru: 'банк не сообщил',
  en: 'not given by the bank',
};

/** The withdrawal failed: what is still owed, why, by when, and how to pay it instead. */
export function autoPayFailedDraft(
  input: {
    account: Account;
    bill: Bill;
    subscription: NoticeRecipient;
    attemptedOn?: string;
    reason?: string;
  },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const facts = billFacts(input, context, f);
  const attempted = input.attemptedOn ?? withdrawalDate(input.bill.dueDate, context.autoPayDay);
  const values = {
    ...facts.parameters,
    attemptedOn: noticeDate(attempted, f),
    reason: input.reason ?? noReason[f.language],
  };
  const template = failedBody[f.language](facts.name);
  return {
    templateKey: 'auto-pay-failed',
    template,
    parameters: templateParameters(template, values),
    essentials: failedShort[f.language](values, facts.name, facts.paymentShort),
  };
}
