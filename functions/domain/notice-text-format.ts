// How notices write money, dates, volumes, masked numbers and household shares in each language, and fill templates.
import { DateTime } from 'luxon';
import { maskName } from './account.ts';
import { eucKrUnencodable } from './message-size.ts';
import { currencyExponent } from './money.ts';

/** Languages notices are written in; any other falls back to the utility's primary language, then English. */
export const NOTICE_LANGUAGES = ['ko', 'ru', 'en'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** The kind of utility, which names the bill (수도요금, электроэнергия) and the outage. */
export type NoticeService = 'water' | 'electricity';

/** What every formatter needs: the language, and the utility's region, currency, country and time zone. */
export interface Formatting {
  language: NoticeLanguage;
  /** BCP 47 region of the utility's locale ("KR" of ko-KR): numbers and dates follow the language in that region. */
  region: string;
  currency: string;
  country: string;
  timeZone: string;
}

const intlLocale = (f: Formatting) => `${f.language}-${f.region}`;

// Building an Intl.NumberFormat costs a hundred times formatting with one; a run formats millions of amounts.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

// No-break and thin spaces are not in GSM-7 nor EUC-KR; Intl puts them in numbers and before currency symbols.
const spaces = /[\u00a0\u2007\u2009\u202f]/g;
const plainSpaces = (text: string) => text.replace(spaces, ' ');

/**
 * Money in minor units, as people write it in the language: 24,600원 in Korean (₩ is not in EUC-KR), 1 234,56 ₽ in
 * Russian, KRW 24,600 or RUB 1,234.56 in English (the code keeps an English SMS in GSM-7).
 */
export function noticeMoney(minor: number, f: Formatting): string {
  const exponent = currencyExponent(f.currency);
  const major = minor / 10 ** exponent;
  if (f.language === 'ko' && f.currency === 'KRW') {
    return `${numberFormat('ko-KR', {}).format(major)}원`;
  }
  const display = f.language === 'ru' && f.country !== 'KR' ? 'symbol' : 'code';
  return plainSpaces(
    numberFormat(intlLocale(f), { style: 'currency', currency: f.currency, currencyDisplay: display }).format(
      major,
    ),
  );
}

const dateFormats: Record<NoticeLanguage, { long: string; short: string; month: string }> = {
  ko: { long: 'yyyy년 M월 d일', short: 'yyyy.MM.dd', month: 'yyyy년 M월' },
  ru: { long: 'd MMMM yyyy', short: 'dd.MM.yyyy', month: 'LLLL yyyy' },
  en: { long: 'd MMMM yyyy', short: 'd MMM yyyy', month: 'LLLL yyyy' },
};

function localDateTime(date: string, f: Formatting): DateTime {
  // A bare date is already the utility's local date (UTC only spares the zone lookups); an instant is moved into
  // the utility's time zone first.
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? DateTime.fromISO(date, { zone: 'UTC' })
    : DateTime.fromISO(date, { setZone: true }).setZone(f.timeZone);
  if (!parsed.isValid) throw new RangeError(`"${date}" is not a date`);
  return parsed.setLocale(intlLocale(f));
}

/** 2026년 11월 30일, 30 ноября 2026, 30 November 2026; an instant is dated in the utility's time zone. */
export function noticeDate(date: string, f: Formatting): string {
  return localDateTime(date, f).toFormat(dateFormats[f.language].long);
}

/** The usage period as the paper bill prints it: 2026.09.05 ~ 2026.11.04, 05.09.2026 – 04.11.2026. */
export function noticeDateRange(from: string, to: string, f: Formatting): string {
  const format = dateFormats[f.language].short;
  const separator = f.language === 'en' ? ' - ' : f.language === 'ko' ? ' ~ ' : ' – ';
  return `${localDateTime(from, f).toFormat(format)}${separator}${localDateTime(to, f).toFormat(format)}`;
}

/** The billing month: 2026년 11월, ноябрь 2026, November 2026. */
export function noticeMonth(period: string, f: Formatting): string {
  return localDateTime(`${period}-01`, f).toFormat(dateFormats[f.language].month);
}

const unitNames: Record<NoticeLanguage, Record<'m3' | 'kWh', string>> = {
  ko: { m3: '㎥', kWh: 'kWh' },
  ru: { m3: ' м³', kWh: ' кВт·ч' },
  // m3 rather than m³: the superscript is not in GSM-7.
  en: { m3: ' m3', kWh: ' kWh' },
};

const registerNames: Record<NoticeLanguage, Record<string, string>> = {
  ko: { day: '주간', night: '야간', peak: '최대부하', 'semi-peak': '중간부하' },
  ru: { day: 'день', night: 'ночь', peak: 'пик', 'semi-peak': 'полупик' },
  en: { day: 'day', night: 'night', peak: 'peak', 'semi-peak': 'semi-peak' },
};

const estimatedWord: Record<NoticeLanguage, string> = { ko: '추정', ru: 'расчётный', en: 'estimated' };

const plainNumber = (value: number, f: Formatting) =>
  plainSpaces(numberFormat(intlLocale(f), { maximumFractionDigits: 3 }).format(value));

/** 20㎥, 300 кВт·ч, 12.5 m3. */
export function noticeVolume(value: number, unit: 'm3' | 'kWh', f: Formatting): string {
  return `${plainNumber(value, f)}${unitNames[f.language][unit]}`;
}

/** 20㎥, or 300 кВт·ч (день 200, ночь 100) for a two-tariff meter; marked when the volume is an estimate. */
export function noticeUsage(
  usage: { volume: number; unit: 'm3' | 'kWh'; registers: Record<string, number>; estimated: boolean },
  f: Formatting,
): string {
  const registers = Object.entries(usage.registers).filter(([name]) => name !== 'total');
  const names = registerNames[f.language];
  const split =
    registers.length > 1
      ? ` (${registers.map(([name, value]) => `${names[name] ?? name} ${plainNumber(value, f)}`).join(', ')})`
      : '';
  const estimated = usage.estimated ? ` (${estimatedWord[f.language]})` : '';
  return `${noticeVolume(usage.volume, usage.unit, f)}${split}${estimated}`;
}

/** An account number with all but its last four characters hidden (half of a short one): *****6789. */
export function maskAccountNumber(number: string): string {
  const chars = [...number];
  const visible = Math.min(4, Math.floor(chars.length / 2));
  return '*'.repeat(chars.length - visible) + chars.slice(chars.length - visible).join('');
}

/**
 * The holder's name masked (김*수). Where carriers take EUC-KR only, a character it lacks (a rare syllable such as
 * 똠) is masked too, so a name can never make the notice unsendable.
 */
export function maskHolder(name: string, country: string): string {
  const masked = maskName(name.trim());
  if (country !== 'KR') return masked;
  const unencodable = new Set(eucKrUnencodable(masked));
  return [...masked].map((char) => (unencodable.has(char) ? '*' : char)).join('');
}

/** The step a household's share is rounded to, in minor units: won below 10 are not in circulation. */
const shareSteps: Record<string, number> = { KRW: 10 };

/** Each household's share of the amount due, rounded half up to the currency's step (KRW: 10 won). */
export function householdShare(amountDue: number, households: number, currency: string): number {
  const step = shareSteps[currency] ?? 1;
  return Math.round(amountDue / households / step) * step;
}

/** Replaces every #{key} of a template; a key without a value is a mistake in the template, not in the data. */
export function fillTemplate(template: string, parameters: Record<string, string>): string {
  return template.replace(/#\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, key: string) => {
    const value = parameters[key];
    if (value === undefined) throw new Error(`template parameter #{${key}} has no value`);
    return value;
  });
}

/** The #{key} names a template uses, in order of first use. */
export function templateKeys(template: string): string[] {
  return [...new Set([...template.matchAll(/#\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1] as string))];
}

/** The values of the keys a template uses, and no others: a stray parameter can fail the provider's template check. */
export function templateParameters(
  template: string,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    templateKeys(template).map((key) => {
      const value = values[key];
      if (value === undefined) throw new Error(`template parameter #{${key}} has no value`);
      return [key, value];
    }),
  );
}

/** Characters as AlimTalk counts them against its 1,000: code points. */
export const messengerLength = (text: string) => [...text].length;
