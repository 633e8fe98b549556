// Writes docs/notice-texts.md: every notice kind x language x payment method of the demo utilities, with its size.
// Run `npx tsx bin/notice-texts.ts` after changing a template; test/unit/notice-text.test.ts fails until the doc matches.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadUtilityConfig } from '#config/load';
import type { UtilityConfig } from '#config/schema';
import type { Account } from '#domain/account';
import { type Bill, expectedAmountDue } from '#domain/bill';
import { type NoticeContext, type NoticeInput, type RenderedNotice, renderNotice } from '#domain/notice-text';
import { ANNOUNCEMENT_KINDS, type AnnouncementKind } from '#domain/notice-text-announcement';
import { withdrawalDate } from '#domain/notice-text-bill';
import { noticeContextFor } from '#domain/notice-text-context';
import { priceUsage } from '#domain/tariff';

interface Example {
  utility: string;
  config: UtilityConfig;
  context: NoticeContext;
  languages: string[];
  account: Account;
  bill: Bill;
  households: number;
  /** A bill too long for one message, to show the essentials the SMS falls back to. */
  longBill?: Bill;
  announcements: Record<AnnouncementKind, Record<string, string>>;
  /** A bank's reason for a failed withdrawal, as its result file gives it. */
  autoPayFailure: string;
  /** The account's usage per bill before the example bill, which the leak check compares it with. */
  averageVolume: number;
}

function seoul(): Example {
  const config = loadUtilityConfig('seoul-water');
  const { charges } = priceUsage(config, {
    period: '2026-11',
    usagePeriod: { from: '2026-09-05', to: '2026-11-04' },
    registers: { total: 34 },
    meterKind: 'single',
    households: 1,
    reductions: [],
    selfReadings: 0,
    language: 'ko',
  });
  const bill: Bill = {
    accountNumber: '123456789',
    period: '2026-11',
    currency: 'KRW',
    usagePeriod: { from: '2026-09-05', to: '2026-11-04' },
    usage: { volume: 34, unit: 'm3', registers: { total: 34 }, estimated: false },
    charges,
    reductions: [{ code: 'e-billing', label: '전자고지 감면', amount: 418 }],
    arrears: 12_000,
    lateFee: 360,
    amountDue: 0,
    dueDate: '2026-11-30',
    issuedAt: '2026-11-12',
    status: 'unpaid',
    payments: [],
  };
  bill.amountDue = expectedAmountDue(bill);
  // A shared meter's bill itemised per flat and per month: 30 lines, more than one LMS carries.
  const perFlat = Array.from({ length: 15 }, (_, i) => `${101 + i}호`).flatMap((flat, i) => [
    {
      code: `flat-${i}-09`,
      label: `${flat} 상수도·하수도·물이용부담금 (2026.09.05~2026.10.04)`,
      volume: 2,
      amount: 2_460,
    },
    {
      code: `flat-${i}-10`,
      label: `${flat} 상수도·하수도·물이용부담금 (2026.10.05~2026.11.04)`,
      volume: 3,
      amount: 3_690,
    },
  ]);
  const longBill: Bill = { ...bill, charges: perFlat, reductions: [], arrears: 0, lateFee: 0 };
  longBill.amountDue = expectedAmountDue(longBill);
  return {
    utility: 'seoul-water',
    config,
    // Seoul withdraws auto-pay on the 23rd; the configuration has no field for it yet.
    context: noticeContextFor(config, { autoPayDay: 23 }),
    languages: ['ko', 'en'],
    account: {
      accountNumber: '123456789',
      holderName: '김철수',
      address: '서울특별시 마포구 월드컵로 212, 1203호',
      district: '11440',
      paymentMethod: 'giro',
      virtualAccount: { bank: '우리은행', number: '512345678901234' },
      households: 1,
      meters: [{ id: 'WM-456789', kind: 'single', unit: 'm3', registers: ['total'] }],
      phones: ['+821023456789'],
    },
    bill,
    households: 3,
    longBill,
    autoPayFailure: '잔액 부족',
    averageVolume: 21.5,
    announcements: {
      outage: {
        ko: '12월 20일(일) 09:00~15:00 마포구 공덕동 일대에 상수도관 교체 공사로 물이 나오지 않습니다. 미리 물을 받아 두세요.',
        en: 'Water will be off around Gongdeok-dong, Mapo-gu on Sunday 20 December, 09:00-15:00, while a main is replaced. Please store some water beforehand.',
      },
      freeze: {
        ko: '한파로 계량기가 얼 수 있습니다. 계량기함을 헌 옷 등 보온재로 채우고, 집을 오래 비울 때는 수도꼭지를 조금 틀어 두세요.',
        en: 'Meters can freeze in this cold. Fill the meter box with old clothes or other insulation, and leave a tap dripping when you are away for long.',
      },
      'leak-check': {
        ko: '모든 수도꼭지를 잠근 뒤 계량기의 별표(★)가 돌아가면 누수일 수 있습니다. 누수가 의심되면 연락해 주세요.',
        en: "Close every tap: if the meter's star dial still turns, there may be a leak. Call us if you suspect one.",
      },
      general: {
        ko: '2027년 1월부터 고지서를 모바일로만 받으시면 수도요금이 1% 감면됩니다(최대 1,000원).',
        en: 'From January 2027, a bill received on your phone only takes 1% off the water charge (up to KRW 1,000).',
      },
    },
  };
}

function tyumen(): Example {
  const config = loadUtilityConfig('tyumen-power');
  const registers = { day: 192, night: 118 };
  const bill: Bill = {
    accountNumber: '1234567833',
    period: '2026-11',
    currency: 'RUB',
    usagePeriod: { from: '2026-10-01', to: '2026-10-31' },
    usage: { volume: 310, unit: 'kWh', registers, estimated: false },
    charges: priceUsage(config, {
      period: '2026-11',
      usagePeriod: { from: '2026-10-01', to: '2026-10-31' },
      registers,
      meterKind: 'two-tariff',
      households: 1,
      reductions: [],
      selfReadings: 0,
      language: 'ru',
    }).charges,
    reductions: [],
    arrears: 0,
    lateFee: 0,
    amountDue: 0,
    dueDate: '2026-12-10',
    issuedAt: '2026-11-12',
    status: 'unpaid',
    payments: [],
  };
  bill.amountDue = expectedAmountDue(bill);
  return {
    utility: 'tyumen-power',
    config,
    context: noticeContextFor(config),
    languages: ['ru', 'en'],
    account: {
      accountNumber: '1234567833',
      holderName: 'Иванова Елена',
      address: 'г. Тюмень, ул. Республики, д. 12, кв. 45',
      district: 'tmn-central',
      paymentMethod: 'giro',
      households: 1,
      meters: [{ id: 'EM-567833', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
      phones: ['+79121234567'],
    },
    bill,
    households: 2,
    autoPayFailure: 'недостаточно средств',
    averageVolume: 180,
    announcements: {
      outage: {
        ru: '20 декабря с 10:00 до 14:00 не будет электроэнергии на ул. Мира, д. 1–15: ремонт подстанции.',
        en: 'Power will be off at 1-15 Mira St on 20 December, 10:00-14:00, while a substation is repaired.',
      },
      freeze: {
        ru: 'В сильные морозы не включайте несколько обогревателей в одну розетку и не оставляйте их без присмотра.',
        en: 'In hard frost, do not plug several heaters into one socket and never leave them on unattended.',
      },
      'leak-check': {
        ru: 'Выключите все приборы: если счётчик продолжает считать, вызовите электрика.',
        en: 'Switch every appliance off: if the meter keeps counting, call an electrician.',
      },
      general: {
        ru: 'С 1 января показания можно передать в чат-боте компании.',
        en: 'From 1 January you can also send readings through our chat bot.',
      },
    },
  };
}

export interface NoticeTextRow {
  utility: string;
  kind: string;
  language: string;
  method: string;
  notice: RenderedNotice;
}

/** Every kind x language x payment method of both demo utilities, in a fixed order. */
export function noticeTextRows(): NoticeTextRow[] {
  const rows: NoticeTextRow[] = [];
  for (const example of [seoul(), tyumen()]) {
    for (const language of example.languages) {
      const subscription = { language, households: example.households };
      const add = (method: string, input: NoticeInput) =>
        rows.push({
          utility: example.utility,
          kind:
            input.kind === 'announcement'
              ? `announcement (${input.announcement.kind})`
              : input.kind === 'auto-pay-failed' && input.reason
                ? 'auto-pay-failed (with the reason)'
                : input.kind,
          language,
          method,
          notice: renderNotice(input, example.context),
        });
      for (const method of ['giro', 'auto-pay'] as const) {
        const account = { ...example.account, paymentMethod: method };
        const bill = example.bill;
        add(method, { kind: 'bill', account, bill, subscription });
        add(method, { kind: 'due-reminder', account, bill, subscription });
        if (method === 'auto-pay') {
          const paidAt = `${withdrawalDate(bill.dueDate, example.context.autoPayDay)}T10:00:00+09:00`;
          add(method, {
            kind: 'auto-pay-succeeded',
            account,
            bill: { ...bill, payments: [{ paidAt, amount: bill.amountDue, method: 'auto-pay' }] },
            subscription,
          });
          add(method, { kind: 'auto-pay-failed', account, bill, subscription });
          add(method, {
            kind: 'auto-pay-failed',
            account,
            bill,
            subscription,
            reason: example.autoPayFailure,
          });
        }
      }
      add('any', { kind: 'reading-window', account: example.account, period: '2026-12', subscription });
      add('any', {
        kind: 'leak-check',
        account: example.account,
        bill: { ...example.bill, flags: ['leak-suspected'] },
        subscription,
        averageVolume: example.averageVolume,
      });
      if (example.longBill && language === example.languages[0]) {
        const account = { ...example.account, paymentMethod: 'giro' as const };
        const bill = example.longBill;
        rows.push({
          utility: example.utility,
          kind: `bill (${bill.charges.length} charge lines)`,
          language,
          method: 'giro',
          notice: renderNotice({ kind: 'bill', account, bill, subscription: { language } }, example.context),
        });
      }
      for (const kind of ANNOUNCEMENT_KINDS) {
        add('any', {
          kind: 'announcement',
          announcement: { kind, texts: example.announcements[kind] },
          subscription: { language },
        });
      }
    }
  }
  return rows;
}

const anchor = (row: NoticeTextRow) =>
  `${row.utility}-${row.kind}-${row.language}-${row.method}`.replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '');

function sizeCells(notice: RenderedNotice): string {
  const { size, variant } = notice.sms;
  const units = size.scheme === 'korean' ? `${size.bytes} bytes` : `${size.characters} characters`;
  const shape = size.scheme === 'korean' ? size.type : `${size.parts} part${size.parts === 1 ? '' : 's'}`;
  return `${variant} | ${size.encoding} | ${shape} | ${units} | ${size.fits ? 'yes' : '**no**'}`;
}

/** The whole of docs/notice-texts.md. */
export function noticeTextsMarkdown(rows: NoticeTextRow[] = noticeTextRows()): string {
  const lines = [
    '# Notice texts and their sizes',
    '',
    'Every outbound notice of the two demo utilities, by kind, language and payment method, as',
    '`renderNotice` (`functions/domain/notice-text.ts`) writes it from the demo configurations. The messenger',
    'text is the AlimTalk template (`templateKey`, in that language) with its parameters filled in; the SMS is',
    'the same text when it fits (Korea: an LMS of up to 2,000 EUC-KR bytes; elsewhere: at most 10 GSM-7/UCS-2',
    'parts), otherwise a short text with the essentials (amount, due date, how to pay or the withdrawal date,',
    'the contact phone). Sizes are `messageSize` (`functions/domain/message-size.ts`).',
    '',
    'Generated by `npx tsx bin/notice-texts.ts`; `test/unit/notice-text.test.ts` fails while this page is out of',
    'date. Auto-pay result notices exist for auto-pay accounts only; announcements read the same for both',
    'payment methods. Seoul withdraws auto-pay on the 23rd (`autoPayDay`, passed to `noticeContextFor`: the',
    'configuration has no field for it yet); Tyumen, without one, on the due date.',
    '',
    'The billing cycle adds: the due reminder (auto-pay: "will be withdrawn on"; giro, or auto-pay that failed',
    'for the bill: "please pay by" with the virtual account where there is one), the auto-pay result (withdrawn,',
    "or not with the bank's reason and how to pay instead), the reading-window reminder (the window, the SMS",
    'number, the format with an example: config `readings.window`, `smsNumber`, `accountNumber.example`) and',
    'the leak check (usage against the average of earlier bills, and config `readings.leakCheckText`); the last',
    'two read the same for both payment methods.',
    '',
    '| utility | kind | language | payment | template key | messenger characters | SMS | encoding | type or parts | size | fits |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.utility} | [${row.kind}](#${anchor(row)}) | ${row.language} | ${row.method} | \`${row.notice.messenger.templateKey}\` | ${row.notice.messenger.characters} | ${sizeCells(row.notice)} |`,
    ),
    '',
  ];
  for (const row of rows) {
    lines.push(
      `## <a id="${anchor(row)}"></a>${row.utility}: ${row.kind}, ${row.language}, ${row.method}`,
      '',
      '```text',
      row.notice.messenger.text,
      '```',
      '',
    );
    if (row.notice.sms.variant === 'short') {
      lines.push('SMS (the whole notice does not fit):', '', '```text', row.notice.sms.text, '```', '');
    }
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../docs/notice-texts.md', import.meta.url));
  writeFileSync(target, noticeTextsMarkdown());
  console.log(`wrote ${target}`);
}
