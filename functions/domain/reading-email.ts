// The confirmation e-mail for an accepted meter reading, in the utility's languages (plain text).
import { DateTime } from 'luxon';

export interface ReadingEmailInput {
  utilityName: string;
  timeZone: string;
  contactPhone: string;
  accountNumber: string;
  period: string;
  /** Register -> whole units, in the meter's order: only what the resident sent is repeated. */
  values: Array<[register: string, value: number]>;
  unit: 'm3' | 'kWh';
  source: 'sms' | 'web' | 'estimate' | 'import';
  submittedAt: string;
  /** Far above the usual consumption: the leak-check advice is included. */
  leakCheck?: string;
}

type Language = 'ko' | 'ru' | 'en';

const registerLabels: Record<Language, Record<string, string>> = {
  ko: { total: '지침', day: '주간', night: '야간', peak: '최대', semipeak: '중간' },
  ru: { total: 'показание', day: 'день', night: 'ночь', peak: 'пик', semipeak: 'полупик' },
  en: { total: 'reading', day: 'day', night: 'night', peak: 'peak', semipeak: 'semi-peak' },
};

const unitLabels: Record<Language, Record<ReadingEmailInput['unit'], string>> = {
  ko: { m3: '㎥', kWh: 'kWh' },
  ru: { m3: 'м³', kWh: 'кВт·ч' },
  en: { m3: 'm³', kWh: 'kWh' },
};

interface Texts {
  /** Luxon patterns, written out so the text does not depend on the runtime's ICU data. */
  monthFormat: string;
  timeFormat: string;
  subject(account: string, month: string): string;
  accepted(account: string): string;
  period: string;
  received: string;
  via: Record<ReadingEmailInput['source'], string>;
  readings: string;
  notYou(phone: string): string;
  automatic: string;
}

const texts: Record<Language, Texts> = {
  ko: {
    monthFormat: "yyyy'년' M'월'",
    timeFormat: "yyyy'년' M'월' d'일' HH:mm",
    subject: (account, month) => `검침값 접수 확인: 고객번호 ${account}, ${month}`,
    accepted: (account) => `고객번호 ${account}의 검침값이 접수되었습니다.`,
    period: '기간',
    received: '접수 시각',
    via: { sms: '문자', web: '홈페이지', estimate: '추정', import: '검침원' },
    readings: '검침값',
    notYou: (phone) => `직접 보내신 것이 아니면 ${phone}(으)로 연락해 주세요.`,
    automatic: '이 메일은 자동으로 발송되었습니다. 회신하지 마세요.',
  },
  ru: {
    monthFormat: 'LLLL yyyy',
    timeFormat: 'dd.MM.yyyy HH:mm',
    subject: (account, month) => `Показания приняты: лицевой счёт ${account}, ${month}`,
    accepted: (account) => `Показания по лицевому счёту ${account} приняты.`,
    period: 'Период',
    received: 'Получены',
    via: { sms: 'SMS', web: 'сайт', estimate: 'расчёт', import: 'контролёр' },
    readings: 'Показания',
    notYou: (phone) => `Если вы не передавали эти показания, позвоните по телефону ${phone}.`,
    automatic: 'Письмо отправлено автоматически, отвечать на него не нужно.',
  },
  en: {
    monthFormat: 'LLLL yyyy',
    timeFormat: 'd LLL yyyy, HH:mm',
    subject: (account, month) => `Reading received: account ${account}, ${month}`,
    accepted: (account) => `The meter reading for account ${account} has been accepted.`,
    period: 'Period',
    received: 'Received',
    via: { sms: 'SMS', web: 'website', estimate: 'estimate', import: 'meter reader' },
    readings: 'Readings',
    notYou: (phone) => `If you did not send this reading, call ${phone}.`,
    automatic: 'This e-mail was sent automatically; please do not reply.',
  },
};

function languageOf(language: string): Language {
  return language === 'ko' || language === 'ru' ? language : 'en';
}

export function readingConfirmationEmail(
  language: string,
  input: ReadingEmailInput,
): { subject: string; text: string } {
  const lang = languageOf(language);
  const t = texts[lang];
  const locale = { ko: 'ko-KR', ru: 'ru-RU', en: 'en-GB' }[lang];
  const month = DateTime.fromFormat(input.period, 'yyyy-MM', { zone: input.timeZone })
    .setLocale(locale)
    .toFormat(t.monthFormat);
  const received = DateTime.fromISO(input.submittedAt, { zone: input.timeZone })
    .setLocale(locale)
    .toFormat(t.timeFormat);
  const unit = unitLabels[lang][input.unit];
  const lines = [
    input.utilityName,
    '',
    t.accepted(input.accountNumber),
    `${t.period}: ${month}`,
    `${t.received}: ${received} (${t.via[input.source]})`,
    `${t.readings}:`,
    ...input.values.map(
      ([register, value]) => `  ${registerLabels[lang][register] ?? register}: ${value} ${unit}`,
    ),
    ...(input.leakCheck ? ['', input.leakCheck] : []),
    '',
    t.notYou(input.contactPhone),
    t.automatic,
  ];
  return { subject: t.subject(input.accountNumber, month), text: `${lines.join('\n')}\n` };
}
