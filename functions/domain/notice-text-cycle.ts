// The billing cycle's notices that are not about paying: the reading window is open, and usage suggests a leak.
import type { Account } from './account.ts';
import type { Bill } from './bill.ts';
import type { NoticeContext, NoticeDraft, NoticeRecipient } from './notice-text.ts';
import { billFacts } from './notice-text-bill.ts';
import {
  type Formatting,
  maskAccountNumber,
  maskHolder,
  type NoticeLanguage,
  noticeDateRange,
  noticeMonth,
  noticeVolume,
  templateParameters,
} from './notice-text-format.ts';

const readingWindowBody: Record<NoticeLanguage, string> = {
  ko: [
    '[#{utilityName}] 계량기 지침 입력 안내',
    '',
    '#{holderName} 고객님, #{month} 계량기 지침을 #{window}에 보내 주세요.',
    '▶ 고객번호: #{accountNumber}',
    '▶ 문자 보낼 번호: #{smsNumber}',
    '▶ 형식: #{format}',
    '▶ 예: #{example}',
    '',
    '기간 안에 보내지 않으면 평균 사용량으로 추정하여 부과됩니다.',
    '문의: #{contactPhone}',
  ].join('\n'),
  ru: [
    '#{utilityName}: передайте показания',
    '',
    '#{holderName}, показания счётчика за #{month} принимаются #{window}.',
    'Лицевой счёт: #{accountNumber}',
    'SMS на номер: #{smsNumber}',
    'Формат: #{format}',
    'Пример: #{example}',
    '',
    'Без показаний начисление будет по среднему расходу.',
    'Телефон для справок: #{contactPhone}',
  ].join('\n'),
  en: [
    '#{utilityName}: time to send your meter reading',
    '',
    'Dear #{holderName}, send your #{month} meter reading between #{window}.',
    'Account: #{accountNumber}',
    'Text it to: #{smsNumber}',
    'Format: #{format}',
    'Example: #{example}',
    '',
    'Without a reading, the bill is estimated from your average usage.',
    'Questions: #{contactPhone}',
  ].join('\n'),
};

/** The words of the reading SMS's format: the account number, then one reading per register (day first). */
const formatWords: Record<NoticeLanguage, { account: string; reading: string; registers: string[] }> = {
  ko: { account: '고객번호', reading: '지침', registers: ['주간지침', '야간지침', '기타지침'] },
  ru: { account: 'номер_счёта', reading: 'показание', registers: ['день', 'ночь', 'пик'] },
  en: { account: 'account', reading: 'reading', registers: ['day', 'night', 'peak'] },
};

/** Sample readings for the example: as many as the meter has registers. */
const SAMPLE_READINGS = ['1234', '567', '89'];

/** The meters the resident reads: those marked so, or all where the utility's default is the resident. */
export function residentReadMeters(
  account: Pick<Account, 'meters'>,
  defaultReadBy: 'resident' | 'utility',
): Account['meters'] {
  return account.meters.filter((meter) => (meter.readBy ?? defaultReadBy) === 'resident');
}

/** The reading window of a month is open: when it closes, how to text a reading, and to which number. */
export function readingWindowDraft(
  input: { account: Account; period: string; subscription: NoticeRecipient },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const cycle = context.cycle;
  if (!cycle) throw new Error('The notice context has no reading window (noticeContextFor sets it)');
  const words = formatWords[f.language];
  const registers = Math.max(
    1,
    ...residentReadMeters(input.account, cycle.readBy).map((meter) => meter.registers.length),
  );
  const format =
    registers === 1
      ? `${words.account} ${words.reading}`
      : `${words.account} ${words.registers.slice(0, registers).join(' ')}`;
  const pad = (day: number) => String(day).padStart(2, '0');
  const values = {
    utilityName: context.utilityNames?.[f.language] ?? context.utilityName,
    holderName: maskHolder(input.account.holderName, context.country),
    month: noticeMonth(input.period, f),
    window: noticeDateRange(
      `${input.period}-${pad(cycle.window.startDay)}`,
      `${input.period}-${pad(cycle.window.endDay)}`,
      f,
    ),
    accountNumber: maskAccountNumber(input.account.accountNumber),
    smsNumber: cycle.smsNumber,
    format,
    example: [cycle.accountExample, ...SAMPLE_READINGS.slice(0, registers)].join(' '),
    contactPhone: context.contactPhone,
  };
  const template = readingWindowBody[f.language];
  return { templateKey: 'reading-window', template, parameters: templateParameters(template, values) };
}

const leakCheckBody: Record<NoticeLanguage, (name: string) => string> = {
  ko: (name) =>
    [
      '[#{utilityName}] 누수 의심 안내',
      '',
      `#{holderName} 고객님, #{month}분 ${name}의 사용량이 #{usage}로 평소(평균 #{average})보다 많이 늘었습니다.`,
      '▶ 고객번호: #{accountNumber}',
      '▶ 확인 방법: #{howToCheck}',
      '문의: #{contactPhone}',
    ].join('\n'),
  ru: (name) =>
    [
      '#{utilityName}: возможна утечка',
      '',
      `#{holderName}, расход по квитанции за ${name} за #{month} — #{usage}, намного больше обычного (в среднем #{average}).`,
      'Лицевой счёт: #{accountNumber}',
      'Как проверить: #{howToCheck}',
      'Телефон для справок: #{contactPhone}',
    ].join('\n'),
  en: (name) =>
    [
      '#{utilityName}: possible leak',
      '',
      `Dear #{holderName}, usage on your ${name} for #{month} was #{usage}, far above your average of #{average}.`,
      'Account: #{accountNumber}',
      'How to check: #{howToCheck}',
      'Questions: #{contactPhone}',
    ].join('\n'),
};

const noAverage: Record<NoticeLanguage, string> = { ko: '정보 없음', ru: 'нет данных', en: 'not known' };

/** A bill flagged leak-suspected: its usage, the account's average before it, and how to check for a leak. */
export function leakCheckDraft(
  input: { account: Account; bill: Bill; subscription: NoticeRecipient; averageVolume?: number },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const facts = billFacts(input, context, f);
  const primary = context.locale.slice(0, 2);
  const texts = context.cycle?.leakCheckText ?? {};
  const values = {
    ...facts.parameters,
    average:
      input.averageVolume === undefined
        ? noAverage[f.language]
        : noticeVolume(Math.round(input.averageVolume * 10) / 10, input.bill.usage.unit, f),
    howToCheck: texts[f.language] ?? texts[primary] ?? '',
  };
  const template = leakCheckBody[f.language](facts.name);
  return { templateKey: 'leak-check', template, parameters: templateParameters(template, values) };
}

/** The account's average usage per bill over its earlier bills (actual readings only where there are any). */
export function averageUsage(earlier: ReadonlyArray<Pick<Bill, 'usage'>>): number | undefined {
  const actual = earlier.filter((bill) => !bill.usage.estimated);
  const counted = actual.length > 0 ? actual : earlier;
  if (counted.length === 0) return undefined;
  return counted.reduce((sum, bill) => sum + bill.usage.volume, 0) / counted.length;
}
