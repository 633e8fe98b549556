import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import type { Account } from '#domain/account';
import type { Bill, ChargeLine } from '#domain/bill';
import { messageSize } from '#domain/message-size';
import {
  announcementProblems,
  type NoticeContext,
  type NoticeInput,
  NoticeTextError,
  noticeLanguage,
  renderNotice,
} from '#domain/notice-text';
import { ANNOUNCEMENT_KINDS } from '#domain/notice-text-announcement';
import { withdrawalDate } from '#domain/notice-text-bill';
import { noticeContextFor } from '#domain/notice-text-context';
import {
  fillTemplate,
  householdShare,
  maskAccountNumber,
  maskHolder,
  templateKeys,
} from '#domain/notice-text-format';
import { aBill, anAccount } from '#test/support/builders';
import { noticeTextsMarkdown } from '../../bin/notice-texts.ts';

const seoul = noticeContextFor(loadUtilityConfig('seoul-water'), { autoPayDay: 23 });
const tyumen = noticeContextFor(loadUtilityConfig('tyumen-power'));

/** A Seoul bill: 34 m3 at the 2026 rates, an e-billing reduction, arrears and their late fee. */
const seoulBill = aBill({
  accountNumber: '987654321',
  charges: [
    { code: 'water', label: '상수도요금', volume: 34, rate: 580, amount: 19_720 },
    { code: 'sewage', label: '하수도요금', volume: 34, rate: 480, amount: 16_320 },
    { code: 'water-use-levy', label: '물이용부담금', volume: 34, rate: 170, amount: 5_780 },
  ],
  usage: { volume: 34, unit: 'm3', registers: { total: 34 }, estimated: false },
  reductions: [{ code: 'e-billing', label: '전자고지 감면', amount: 418 }],
  arrears: 12_000,
  lateFee: 360,
  amountDue: 53_762,
  dueDate: '2026-11-30',
});
const seoulAccount = anAccount({ accountNumber: '987654321' });

/** A Tyumen bill of a two-tariff meter: day and night lines at the 2026 rates. */
const tyumenBill = aBill({
  accountNumber: '1234567833',
  currency: 'RUB',
  usagePeriod: { from: '2026-10-01', to: '2026-10-31' },
  usage: { volume: 310, unit: 'kWh', registers: { day: 192, night: 118 }, estimated: false },
  charges: [
    { code: 'energy-day', label: 'Электроэнергия, день', volume: 192, rate: 6.84, amount: 131_328 },
    { code: 'energy-night', label: 'Электроэнергия, ночь', volume: 118, rate: 4.07, amount: 48_026 },
  ],
  amountDue: 179_354,
  dueDate: '2026-12-10',
});
const tyumenAccount = anAccount({
  accountNumber: '1234567833',
  holderName: 'Иванова Елена',
  district: 'tmn-central',
  virtualAccount: undefined,
  meters: [{ id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
  phones: ['+79121234567'],
});

interface Utility {
  name: string;
  context: NoticeContext;
  account: Account;
  bill: Bill;
  languages: string[];
}
const inSeoul: Utility = {
  name: 'seoul-water',
  context: seoul,
  account: seoulAccount,
  bill: seoulBill,
  languages: ['ko', 'en'],
};
const inTyumen: Utility = {
  name: 'tyumen-power',
  context: tyumen,
  account: tyumenAccount,
  bill: tyumenBill,
  languages: ['ru', 'en'],
};
const utilities = [inSeoul, inTyumen];

const announcementTexts = {
  ko: '12월 20일 09:00~15:00 마포구 공덕동 일대 단수 예정입니다. 미리 물을 받아 두세요.',
  ru: '20 декабря с 10:00 до 14:00 не будет электроэнергии на ул. Мира, д. 1–15.',
  en: 'Supply will be off on 20 December, 10:00-14:00, for repairs.',
};

function bill(
  utility: Utility,
  method: Account['paymentMethod'],
  language: string,
  over: Partial<Bill> = {},
) {
  return {
    kind: 'bill' as const,
    account: { ...utility.account, paymentMethod: method },
    bill: { ...utility.bill, ...over },
    subscription: { language },
  };
}

describe('every notice kind x language x payment method', () => {
  it('renders with its messenger template and an SMS whose size is known', () => {
    const lines: string[] = [];
    for (const utility of utilities) {
      for (const language of utility.languages) {
        const inputs: Array<[string, NoticeInput]> = [];
        for (const method of ['giro', 'auto-pay'] as const) {
          const base = bill(utility, method, language);
          inputs.push([method, base], [method, { ...base, kind: 'due-reminder' }]);
          if (method === 'auto-pay') {
            const paid = {
              ...base.bill,
              payments: [
                { paidAt: '2026-11-23T01:00:00Z', amount: base.bill.amountDue, method: 'auto-pay' as const },
              ],
            };
            inputs.push(
              [method, { ...base, kind: 'auto-pay-succeeded', bill: paid }],
              [method, { ...base, kind: 'auto-pay-failed' }],
            );
          }
        }
        for (const kind of ANNOUNCEMENT_KINDS) {
          const announcement = { kind, texts: announcementTexts };
          inputs.push(['any', { kind: 'announcement', announcement, subscription: { language } }]);
        }
        for (const [method, input] of inputs) {
          const notice = renderNotice(input, utility.context);
          const { sms, messenger } = notice;
          expect(notice.language).toBe(language);
          expect(sms.size.fits).toBe(true);
          expect(messenger.characters).toBeLessThanOrEqual(1000);
          expect(sms.size).toEqual(messageSize(sms.text, utility.context.country));
          const size =
            sms.size.scheme === 'korean'
              ? `${sms.size.type} ${sms.size.bytes} bytes`
              : `${sms.size.parts} parts ${sms.size.characters} chars`;
          const kind = input.kind === 'announcement' ? `announcement/${input.announcement.kind}` : input.kind;
          lines.push(
            `${utility.name} ${language} ${kind} ${method}: ${messenger.templateKey} ${messenger.characters} chars; SMS ${sms.variant} ${sms.size.encoding} ${size}`,
          );
        }
      }
    }
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "seoul-water ko bill giro: bill-giro 349 chars; SMS full EUC-KR LMS 493 bytes
      seoul-water ko due-reminder giro: due-reminder-giro 170 chars; SMS full EUC-KR LMS 252 bytes
      seoul-water ko bill auto-pay: bill-auto-pay 351 chars; SMS full EUC-KR LMS 500 bytes
      seoul-water ko due-reminder auto-pay: due-reminder-auto-pay 153 chars; SMS full EUC-KR LMS 235 bytes
      seoul-water ko auto-pay-succeeded auto-pay: auto-pay-succeeded 137 chars; SMS full EUC-KR LMS 208 bytes
      seoul-water ko auto-pay-failed auto-pay: auto-pay-failed 257 chars; SMS full EUC-KR LMS 394 bytes
      seoul-water ko announcement/outage any: announcement 86 chars; SMS full EUC-KR LMS 130 bytes
      seoul-water ko announcement/freeze any: announcement 89 chars; SMS full EUC-KR LMS 135 bytes
      seoul-water ko announcement/leak-check any: announcement 89 chars; SMS full EUC-KR LMS 135 bytes
      seoul-water ko announcement/general any: announcement 83 chars; SMS full EUC-KR LMS 125 bytes
      seoul-water en bill giro: bill-giro 446 chars; SMS full EUC-KR LMS 452 bytes
      seoul-water en due-reminder giro: due-reminder-giro 250 chars; SMS full EUC-KR LMS 256 bytes
      seoul-water en bill auto-pay: bill-auto-pay 500 chars; SMS full EUC-KR LMS 502 bytes
      seoul-water en due-reminder auto-pay: due-reminder-auto-pay 238 chars; SMS full EUC-KR LMS 240 bytes
      seoul-water en auto-pay-succeeded auto-pay: auto-pay-succeeded 189 chars; SMS full EUC-KR LMS 191 bytes
      seoul-water en auto-pay-failed auto-pay: auto-pay-failed 316 chars; SMS full EUC-KR LMS 322 bytes
      seoul-water en announcement/outage any: announcement 108 chars; SMS full EUC-KR LMS 108 bytes
      seoul-water en announcement/freeze any: announcement 125 chars; SMS full EUC-KR LMS 125 bytes
      seoul-water en announcement/leak-check any: announcement 119 chars; SMS full EUC-KR LMS 119 bytes
      seoul-water en announcement/general any: announcement 102 chars; SMS full EUC-KR LMS 102 bytes
      tyumen-power ru bill giro: bill-giro 487 chars; SMS full UCS-2 8 parts 487 chars
      tyumen-power ru due-reminder giro: due-reminder-giro 342 chars; SMS full UCS-2 6 parts 342 chars
      tyumen-power ru bill auto-pay: bill-auto-pay 529 chars; SMS full UCS-2 8 parts 529 chars
      tyumen-power ru due-reminder auto-pay: due-reminder-auto-pay 295 chars; SMS full UCS-2 5 parts 295 chars
      tyumen-power ru auto-pay-succeeded auto-pay: auto-pay-succeeded 257 chars; SMS full UCS-2 4 parts 257 chars
      tyumen-power ru auto-pay-failed auto-pay: auto-pay-failed 364 chars; SMS full UCS-2 6 parts 364 chars
      tyumen-power ru announcement/outage any: announcement 173 chars; SMS full UCS-2 3 parts 173 chars
      tyumen-power ru announcement/freeze any: announcement 162 chars; SMS full UCS-2 3 parts 162 chars
      tyumen-power ru announcement/leak-check any: announcement 183 chars; SMS full UCS-2 3 parts 183 chars
      tyumen-power ru announcement/general any: announcement 158 chars; SMS full UCS-2 3 parts 158 chars
      tyumen-power en bill giro: bill-giro 457 chars; SMS full UCS-2 7 parts 457 chars
      tyumen-power en due-reminder giro: due-reminder-giro 285 chars; SMS full UCS-2 5 parts 285 chars
      tyumen-power en bill auto-pay: bill-auto-pay 510 chars; SMS full UCS-2 8 parts 510 chars
      tyumen-power en due-reminder auto-pay: due-reminder-auto-pay 272 chars; SMS full UCS-2 5 parts 272 chars
      tyumen-power en auto-pay-succeeded auto-pay: auto-pay-succeeded 223 chars; SMS full UCS-2 4 parts 223 chars
      tyumen-power en auto-pay-failed auto-pay: auto-pay-failed 351 chars; SMS full UCS-2 6 parts 351 chars
      tyumen-power en announcement/outage any: announcement 123 chars; SMS full GSM-7 1 parts 123 chars
      tyumen-power en announcement/freeze any: announcement 130 chars; SMS full GSM-7 1 parts 130 chars
      tyumen-power en announcement/leak-check any: announcement 140 chars; SMS full GSM-7 1 parts 140 chars
      tyumen-power en announcement/general any: announcement 117 chars; SMS full GSM-7 1 parts 117 chars"
    `);
  });
});

describe('the bill notice', () => {
  it('carries everything on the paper bill, in Korean, for a giro account', () => {
    const { messenger, sms } = renderNotice(bill(inSeoul, 'giro', 'ko'), seoul);
    const text = messenger.text;
    for (const part of [
      '[서울특별시 상수도사업본부] 2026년 11월분 수도요금 안내',
      '김*수 고객님', // the holder, masked
      '▶ 고객번호: *****4321', // the account number, masked
      '▶ 사용기간: 2026.09.05 ~ 2026.11.04',
      '▶ 사용량: 34㎥',
      '- 상수도요금: 19,720원',
      '- 하수도요금: 16,320원',
      '- 물이용부담금: 5,780원',
      '- 연체가산금: 360원',
      '- 전자고지 감면: -418원', // the reduction
      '▶ 당월요금: 41,762원', // the lines above add up to it
      '▶ 미납요금: 12,000원',
      '▶ 납부할 금액: 53,762원',
      '▶ 납기일: 2026년 11월 30일',
      '▶ 납부방법: 가상계좌 우리은행 512345678901234', // the virtual account, whole: it only takes payments
      '문의: 120',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('김철수');
    expect(text).not.toContain('987654321');
    expect(text).not.toContain('자동이체');
    expect(sms).toMatchObject({ text, variant: 'full' });
  });

  it('gives an auto-pay account the withdrawal date instead of the virtual account', () => {
    const { messenger } = renderNotice(bill(inSeoul, 'auto-pay', 'ko'), seoul);
    expect(messenger.templateKey).toBe('bill-auto-pay');
    expect(messenger.text).toContain('▶ 자동이체 출금일: 2026년 11월 23일');
    expect(messenger.text).toContain('통장 잔액을 확인해 주세요');
    expect(messenger.text).not.toContain('가상계좌');
  });

  it('carries the same in Russian for a two-tariff meter, with money and dates as Russians write them', () => {
    const { messenger } = renderNotice(bill(inTyumen, 'giro', 'ru'), tyumen);
    expect(messenger.text).toBe(
      [
        'Тюменская энергосбытовая компания: квитанция за электроэнергию за ноябрь 2026',
        '',
        'Абонент: И*****а Е***а',
        'Лицевой счёт: ******7833',
        'Период: 01.10.2026 – 31.10.2026',
        'Расход: 310 кВт·ч (день 192, ночь 118)',
        'Начислено:',
        '- Электроэнергия, день (192 кВт·ч): 1 313,28 ₽',
        '- Электроэнергия, ночь (118 кВт·ч): 480,26 ₽',
        'Итого за период: 1 793,54 ₽',
        'Задолженность: 0,00 ₽',
        'К оплате: 1 793,54 ₽',
        'Оплатить до: 10 декабря 2026',
        'Как оплатить: по квитанции или в личном кабинете',
        '',
        'Телефон для справок: 8-800-250-00-00',
      ].join('\n'),
    );
  });

  it('prints charge and reduction labels in the notice language from the configuration', () => {
    const { messenger } = renderNotice(bill(inSeoul, 'giro', 'en'), seoul);
    expect(messenger.text).toContain('- Water charge: KRW 19,720');
    expect(messenger.text).toContain('- E-billing discount: -KRW 418');
    expect(messenger.text).toContain('How to pay: 우리은행 account 512345678901234');
  });

  it('says when the volume is an estimate', () => {
    const estimated = { volume: 34, unit: 'm3' as const, registers: { total: 34 }, estimated: true };
    const { messenger } = renderNotice(bill(inSeoul, 'giro', 'ko', { usage: estimated }), seoul);
    expect(messenger.text).toContain('▶ 사용량: 34㎥ (추정)');
  });

  it('fills exactly the keys its template names, so the provider matches it against the approved template', () => {
    for (const input of [bill(inSeoul, 'giro', 'ko'), bill(inTyumen, 'auto-pay', 'ru')]) {
      const { messenger } = renderNotice(input, input.bill.currency === 'KRW' ? seoul : tyumen);
      expect(Object.keys(messenger.parameters)).toEqual(templateKeys(messenger.template));
      expect(fillTemplate(messenger.template, messenger.parameters)).toBe(messenger.text);
    }
  });
});

describe('the household share', () => {
  it('splits the amount due among the households of a shared meter, KRW rounded to 10 won', () => {
    // 53,762 / 3 = 17,920.67: won below 10 are not in circulation.
    const input = {
      ...bill(inSeoul, 'giro', 'ko'),
      subscription: { language: 'ko', households: 3 },
    };
    expect(renderNotice(input, seoul).messenger.text).toContain(
      '▶ 납부할 금액: 53,762원\n▶ 세대당 금액: 약 17,920원 (3세대)',
    );
    expect(householdShare(36_354, 3, 'KRW')).toBe(12_120); // 12,118 up
    expect(householdShare(36_345, 3, 'KRW')).toBe(12_120); // 12,115, half up
    expect(householdShare(36_342, 3, 'KRW')).toBe(12_110); // 12,114 down
  });

  it('rounds other currencies to their minor unit', () => {
    const input = {
      ...bill(inTyumen, 'giro', 'ru'),
      subscription: { language: 'ru', households: 2 },
    };
    expect(renderNotice(input, tyumen).messenger.text).toContain(
      'К оплате: 1 793,54 ₽\nСемей на одном счётчике: 2, доля каждой: около 896,77 ₽',
    );
    expect(householdShare(179_355, 2, 'RUB')).toBe(89_678);
  });

  it("takes the account's household count when the subscription has none, and shows no share for one", () => {
    const shared = bill(inSeoul, 'giro', 'en');
    shared.account = { ...shared.account, households: 2 };
    expect(renderNotice(shared, seoul).messenger.text).toContain(
      'Per household (2 households): about KRW 26,880',
    );
    const single = { ...shared, subscription: { language: 'en', households: 1 } };
    expect(renderNotice(single, seoul).messenger.text).not.toContain('household');
  });
});

describe('a bill too long for one message', () => {
  // A shared meter's bill itemised per flat and per month: 30 charge lines. The whole notice is more than an LMS
  // carries, so the SMS falls back to the essentials; a cut-off LMS would end mid-line with no amount due.
  const flats = Array.from({ length: 15 }, (_, i) => `${101 + i}호`);
  const charges: ChargeLine[] = flats.flatMap((flat, i) => [
    {
      code: `water-${i}-9`,
      label: `${flat} 상수도·하수도·물이용부담금 (2026.09.05~2026.10.04)`,
      volume: 2,
      amount: 2_460,
    },
    {
      code: `water-${i}-10`,
      label: `${flat} 상수도·하수도·물이용부담금 (2026.10.05~2026.11.04)`,
      volume: 3,
      amount: 3_690,
    },
  ]);
  const manyLines = {
    ...bill(inSeoul, 'giro', 'ko'),
    bill: { ...seoulBill, charges, reductions: [], arrears: 0, lateFee: 0, amountDue: 92_250 },
  };

  it('sends the essentials of a Korean notice when the whole one passes 2,000 EUC-KR bytes, and they fit', () => {
    const { messenger, sms } = renderNotice(manyLines, seoul);
    const whole = fillTemplate(messenger.template, {
      ...messenger.parameters,
      charges: charges
        .map((c) => `- ${c.label} (${c.volume}㎥): ${c.amount.toLocaleString('ko-KR')}원`)
        .join('\n'),
    });
    expect(messageSize(whole, 'KR')).toMatchObject({ type: 'LMS', fits: false });
    expect(sms.variant).toBe('short');
    expect(sms.text).toBe(
      '[서울특별시 상수도사업본부] 2026년 11월분 수도요금 92,250원, 납기 2026년 11월 30일, 가상계좌 우리은행 512345678901234. 문의 120',
    );
    expect(sms.size).toMatchObject({ encoding: 'EUC-KR', type: 'LMS', bytes: 127, fits: true });
  });

  it('sums up the last charge lines of the messenger text so it stays within 1,000 characters', () => {
    const { messenger } = renderNotice(manyLines, seoul);
    expect(messenger.characters).toBeLessThanOrEqual(1000);
    const kept = messenger.parameters.charges?.split('\n') ?? [];
    const summary = kept.at(-1) ?? '';
    const summed = charges.slice(kept.length - 1);
    expect(summary).toBe(
      `- 그 밖의 ${summed.length}건: ${summed.reduce((t, c) => t + c.amount, 0).toLocaleString('ko-KR')}원`,
    );
    expect(kept[0]).toBe('- 101호 상수도·하수도·물이용부담금 (2026.09.05~2026.10.04) (2㎥): 2,460원');
    expect(messenger.text).toContain('▶ 납부할 금액: 92,250원');
    // The same notice always gives the same text: a redelivered job sends what the first attempt would have.
    expect(renderNotice(manyLines, seoul).messenger.text).toBe(messenger.text);
  });

  it('sends the essentials elsewhere when the whole notice passes the SMS parts cap', () => {
    const input = bill(inTyumen, 'auto-pay', 'ru');
    expect(renderNotice(input, tyumen).sms.variant).toBe('full');
    const { sms } = renderNotice(input, { ...tyumen, maxSmsParts: 4 });
    expect(sms.variant).toBe('short');
    expect(sms.text).toBe(
      'Тюменская энергосбытовая компания: 10 декабря 2026 автоплатежом будет списано 1 793,54 ₽ за ноябрь 2026 (срок оплаты 10 декабря 2026). Тел. 8-800-250-00-00',
    );
    expect(sms.size).toMatchObject({ encoding: 'UCS-2', parts: 3, fits: true });
  });
});

describe('characters a Korean phone cannot show', () => {
  it("masks a holder's syllable that EUC-KR lacks, so the notice still goes out", () => {
    // 김철똠: the last syllable exists only in CP949; masking keeps it, and Korean SMS would garble it.
    expect(maskHolder('김철똠', 'KR')).toBe('김**');
    expect(maskHolder('김철똠', 'RU')).toBe('김*똠');
    const input = bill(inSeoul, 'giro', 'ko');
    input.account = { ...input.account, holderName: '김철똠' };
    const { sms } = renderNotice(input, seoul);
    expect(sms.text).toContain('김** 고객님');
    expect(sms.size.fits).toBe(true);
  });

  it('does not call an announcement with an emoji sendable, and says why when it is posted', () => {
    const announcement = {
      kind: 'general' as const,
      texts: { ko: '새해 복 많이 받으세요 🎉', en: 'Happy new year!' },
    };
    const { sms } = renderNotice(
      { kind: 'announcement', announcement, subscription: { language: 'ko' } },
      seoul,
    );
    expect(sms.size).toMatchObject({ fits: false, unencodable: ['🎉'] });
    expect(announcementProblems(announcement, seoul)).toEqual([
      {
        field: 'body.texts.ko',
        message: 'Korean phones cannot show "🎉" (not in EUC-KR)',
        code: 'unencodable-characters',
        characters: ['🎉'],
      },
    ]);
  });
});

describe('announcements', () => {
  it("wraps the utility's text with its name, the kind's title and the contact phone", () => {
    const outage = { kind: 'outage' as const, texts: announcementTexts };
    const ko = renderNotice(
      { kind: 'announcement', announcement: outage, subscription: { language: 'ko' } },
      seoul,
    );
    expect(ko.messenger).toMatchObject({
      templateKey: 'announcement',
      template: '[#{utilityName}] #{title}\n\n#{text}\n\n문의: #{contactPhone}',
      text: `[서울특별시 상수도사업본부] 단수 안내\n\n${announcementTexts.ko}\n\n문의: 120`,
    });
    const ru = renderNotice(
      { kind: 'announcement', announcement: outage, subscription: { language: 'ru' } },
      tyumen,
    );
    expect(ru.messenger.text).toBe(
      `Тюменская энергосбытовая компания: отключение электроэнергии\n\n${announcementTexts.ru}\n\nТелефон для справок: 8-800-250-00-00`,
    );
  });

  it("falls back to the utility's primary language when the subscriber's has no text", () => {
    const announcement = { kind: 'freeze' as const, texts: { ko: '계량기 동파에 주의하세요.' } };
    const notice = renderNotice(
      { kind: 'announcement', announcement, subscription: { language: 'en' } },
      seoul,
    );
    expect(notice.language).toBe('ko');
    expect(notice.messenger.text).toContain('동파 예방 안내');
  });

  it('refuses a text the messenger cannot carry, and names it when the announcement is posted, after the LMS', () => {
    const long = { kind: 'general' as const, texts: { ko: '가'.repeat(990), en: 'Short enough.' } };
    expect(() =>
      renderNotice({ kind: 'announcement', announcement: long, subscription: { language: 'ko' } }, seoul),
    ).toThrow(expect.objectContaining({ type: 'notice-too-long', kind: 'unprocessable' }));
    expect(announcementProblems(long, seoul)).toEqual([
      {
        field: 'body.texts.ko',
        message: '2025 EUC-KR bytes with the title and contact line; an LMS takes at most 2000',
        code: 'too-long',
        size: 2025,
        limit: 2000,
        unit: 'bytes',
        parts: 1,
      },
      {
        field: 'body.texts.ko',
        message: 'The announcement text has 1019 characters; the messenger takes at most 1000.',
        code: 'messenger-too-long',
        size: 1019,
        limit: 1000,
        unit: 'characters',
      },
    ]);
  });

  it('asks for a text in every language the utility writes in, and for one that fits an SMS', () => {
    const announcement = { kind: 'outage' as const, texts: { ru: 'Я'.repeat(600) } };
    expect(announcementProblems(announcement, tyumen)).toEqual([
      {
        field: 'body.texts.ru',
        message: '11 SMS parts (700 UCS-2 characters) with the title and contact line; at most 10 parts',
        code: 'too-long',
        size: 700,
        limit: 630,
        unit: 'characters',
        parts: 11,
      },
      {
        field: 'body.texts.en',
        message: 'a text in "en" is required: the utility writes to residents in it',
        code: 'text-required',
        language: 'en',
      },
    ]);
  });
});

describe('announcements where the utility has no messenger, or a text has two faults', () => {
  it('refuses nothing in Tyumen for the messenger, which it does not have: only the SMS must fit', () => {
    // Tyumen sends by SMS alone; a clerk must be told the SMS limit, not a messenger's they never use.
    const long = { kind: 'outage' as const, texts: { ru: 'Я'.repeat(1080), en: 'Power off.' } };
    const notice = renderNotice(
      { kind: 'announcement', announcement: long, subscription: { language: 'ru' } },
      tyumen,
    );
    expect(notice.messenger.characters).toBeGreaterThan(1000);
    expect(announcementProblems(long, tyumen)).toEqual([
      expect.objectContaining({ field: 'body.texts.ru', code: 'too-long', limit: 630, unit: 'characters' }),
    ]);
  });

  it('names both an unencodable character and a messenger overrun in Seoul, so one fix does not reveal the other', () => {
    // A clerk pastes a long text with an emoji; trimming alone would still leave the emoji, and the reverse.
    const both = { kind: 'general' as const, texts: { ko: `${'가'.repeat(990)}😀`, en: 'Short enough.' } };
    expect(announcementProblems(both, seoul).map((problem) => [problem.field, problem.code])).toEqual([
      ['body.texts.ko', 'unencodable-characters'],
      ['body.texts.ko', 'messenger-too-long'],
    ]);
  });
});

describe('auto-pay results', () => {
  it('dates the withdrawal in the utility time zone', () => {
    // 16:30 UTC on the 22nd is 01:30 on the 23rd in Seoul.
    const input = bill(inSeoul, 'auto-pay', 'ko');
    const paid = { paidAt: '2026-11-22T16:30:00Z', amount: 53_762 };
    const { messenger } = renderNotice({ ...input, kind: 'auto-pay-succeeded', payment: paid }, seoul);
    expect(messenger.text).toContain('수도요금 53,762원이 2026년 11월 23일 자동이체로 출금되었습니다');
  });

  it('tells what is still owed after a failed withdrawal, and how to pay it instead', () => {
    const input = bill(inSeoul, 'auto-pay', 'en');
    const { messenger } = renderNotice(
      { ...input, kind: 'auto-pay-failed', attemptedOn: '2026-11-23' },
      seoul,
    );
    expect(messenger.text).toContain(
      'we could not withdraw KRW 53,762 for your water bill for November 2026',
    );
    expect(messenger.text).toContain('How to pay: 우리은행 account 512345678901234');
  });

  it('is no notice for a giro account, nor a confirmation without a withdrawal', () => {
    const giro = bill(inSeoul, 'giro', 'ko');
    for (const kind of ['auto-pay-succeeded', 'auto-pay-failed'] as const) {
      expect(() => renderNotice({ ...giro, kind }, seoul)).toThrow(NoticeTextError);
    }
    const autoPay = bill(inSeoul, 'auto-pay', 'ko');
    expect(() => renderNotice({ ...autoPay, kind: 'auto-pay-succeeded' }, seoul)).toThrow(
      expect.objectContaining({ type: 'notice-not-applicable' }),
    );
  });

  it("withdraws on the utility's day of the due month, never after the due date", () => {
    expect(withdrawalDate('2026-11-30', 23)).toBe('2026-11-23');
    expect(withdrawalDate('2026-12-10', 23)).toBe('2026-12-10');
    expect(withdrawalDate('2027-02-28', 31)).toBe('2027-02-28');
    expect(withdrawalDate('2026-11-30', undefined)).toBe('2026-11-30');
  });
});

describe('language and masking', () => {
  it("writes in the subscription's language where the utility offers it, else in its primary language", () => {
    expect(noticeLanguage('en', seoul)).toBe('en');
    expect(noticeLanguage('ru', seoul)).toBe('ko');
    expect(noticeLanguage('ko', tyumen)).toBe('ru');
    expect(noticeLanguage('de', tyumen)).toBe('ru');
    expect(noticeLanguage('en', { locale: 'ko-KR', languages: ['ko'] })).toBe('ko');
    const germanUtility: Pick<NoticeContext, 'locale' | 'languages'> = { locale: 'de-DE', languages: ['de'] };
    expect(noticeLanguage('de', germanUtility)).toBe('en');
  });

  it("names the utility in the notice's language", () => {
    const { messenger } = renderNotice(bill(inSeoul, 'giro', 'en'), seoul);
    expect(messenger.parameters.utilityName).toBe('Seoul Waterworks');
  });

  it('shows only the last four characters of an account number (half of a short one)', () => {
    expect(maskAccountNumber('123456789')).toBe('*****6789');
    expect(maskAccountNumber('1234567833')).toBe('******7833');
    expect(maskAccountNumber('1234')).toBe('**34');
    expect(maskAccountNumber('7')).toBe('*');
  });

  it("masks each word of a holder's name but its first and last letters", () => {
    expect(maskHolder('Иванова Елена', 'RU')).toBe('И*****а Е***а');
    expect(maskHolder(' 김철수 ', 'KR')).toBe('김*수');
  });
});

describe('docs/notice-texts.md', () => {
  it('shows the texts the templates write today (regenerate: npx tsx bin/notice-texts.ts)', () => {
    const doc = readFileSync(new URL('../../docs/notice-texts.md', import.meta.url), 'utf8');
    expect(doc).toBe(noticeTextsMarkdown());
  });
});
