// Replies to reading SMS, in the utility's languages: every error names the problem and shows the format.

export interface ReplyContext {
  utilityName: string;
  /** e.g. "1234567833 1234" and "1234567833 1234 187" */
  examples: { single: string; twoTariff?: string };
  window: { startDay: number; endDay: number };
}

export type ReadingReplyKind =
  | 'format'
  | 'fraction'
  | 'email'
  | 'reading-window-closed'
  | 'account-not-found'
  | 'phone-not-registered'
  | 'account-multiple-meters'
  | 'meter-not-found'
  | 'reading-register-count'
  | 'reading-too-many-digits'
  | 'reading-below-previous'
  | 'reading-window-full'
  | 'accepted'
  | 'no-bill'
  | 'help';

type Params = Record<string, string | number>;
type Templates = Record<ReadingReplyKind, (c: ReplyContext, p: Params) => string>;

const format = {
  ko: (c: ReplyContext) => `형식: 고객번호 지침 (예: ${c.examples.single})`,
  ru: (c: ReplyContext) =>
    `Формат: лицевой счёт и показания (пример: ${c.examples.single}${c.examples.twoTariff ? `; двухтарифный: день ночь, ${c.examples.twoTariff}` : ''})`,
  en: (c: ReplyContext) =>
    `Format: account and reading (e.g. ${c.examples.single}${c.examples.twoTariff ? `; two-tariff: day night, ${c.examples.twoTariff}` : ''})`,
};

const templates: Record<'ko' | 'ru' | 'en', Templates> = {
  ko: {
    format: (c) => `[${c.utilityName}] 내용을 읽을 수 없습니다. ${format.ko(c)}`,
    fraction: (c) => `[${c.utilityName}] 소수점 아래 없이 정수만 보내주세요. ${format.ko(c)}`,
    email: (c) => `[${c.utilityName}] 이메일 주소가 올바르지 않습니다. ${format.ko(c)}`,
    'reading-window-closed': (c) =>
      `[${c.utilityName}] 검침값은 매월 ${c.window.startDay}일~${c.window.endDay}일에 받습니다.`,
    'account-not-found': (c, p) =>
      `[${c.utilityName}] 고객번호 ${p.account}을(를) 찾을 수 없습니다. 고지서의 번호를 확인하세요.`,
    'phone-not-registered': (c, p) =>
      `[${c.utilityName}] 이 전화번호는 고객번호 ${p.account}에 등록되어 있지 않습니다. 고지서의 번호를 확인하세요.`,
    'account-multiple-meters': (c) => `[${c.utilityName}] 계량기가 여러 개인 고객은 홈페이지에서 보내주세요.`,
    'meter-not-found': (c) => `[${c.utilityName}] 계량기를 찾을 수 없습니다. 문의 120.`,
    'reading-register-count': (c, p) =>
      `[${c.utilityName}] 이 계량기는 값 ${p.count}개가 필요합니다. ${format.ko(c)}`,
    'reading-too-many-digits': (c, p) =>
      `[${c.utilityName}] 계량기는 최대 ${p.digits}자리입니다. ${format.ko(c)}`,
    'reading-below-previous': (c, p) =>
      `[${c.utilityName}] ${p.value}은(는) 이전 지침 ${p.previous}보다 작습니다. 확인 후 다시 보내주세요.`,
    'reading-window-full': (c, p) =>
      `[${c.utilityName}] 이번 달 검침값은 계량기당 ${p.max}번까지 받습니다. 마지막으로 접수된 값이 반영됩니다.`,
    accepted: (c) => `[${c.utilityName}] 검침값이 접수되었습니다.`,
    'no-bill': (c) => `[${c.utilityName}] 아직 조회할 요금이 없습니다.`,
    help: (c) =>
      `[${c.utilityName}] ${format.ko(c)}. 매월 ${c.window.startDay}일~${c.window.endDay}일. 요금: 요금, 중지: STOP.`,
  },
  ru: {
    format: (c) => `${c.utilityName}: сообщение не распознано. ${format.ru(c)}`,
    fraction: (c) => `${c.utilityName}: передавайте только цифры до запятой. ${format.ru(c)}`,
    email: (c) => `${c.utilityName}: неверный адрес электронной почты. ${format.ru(c)}`,
    'reading-window-closed': (c) =>
      `${c.utilityName}: показания принимаются с ${c.window.startDay} по ${c.window.endDay} число каждого месяца.`,
    'account-not-found': (c, p) =>
      `${c.utilityName}: лицевой счёт ${p.account} не найден. Проверьте номер в квитанции.`,
    'phone-not-registered': (c, p) =>
      `${c.utilityName}: этот номер телефона не зарегистрирован на лицевом счёте ${p.account}. Проверьте номер в квитанции.`,
    'account-multiple-meters': (c) =>
      `${c.utilityName}: по SMS принимаются показания только одного счётчика. Передайте их в личном кабинете.`,
    'meter-not-found': (c) => `${c.utilityName}: счётчик не найден.`,
    'reading-register-count': (c, p) =>
      `${c.utilityName}: для этого счётчика нужно показаний: ${p.count}. ${format.ru(c)}`,
    'reading-too-many-digits': (c, p) =>
      `${c.utilityName}: на счётчике не больше ${p.digits} цифр. ${format.ru(c)}`,
    'reading-below-previous': (c, p) =>
      `${c.utilityName}: показание ${p.value} меньше предыдущего (${p.previous}). Проверьте и отправьте снова.`,
    'reading-window-full': (c, p) =>
      `${c.utilityName}: за месяц принимается не больше ${p.max} показаний счётчика, больше не принимаем. Учитываются последние принятые.`,
    accepted: (c) => `${c.utilityName}: показания приняты.`,
    'no-bill': (c) => `${c.utilityName}: счетов по лицевому счёту пока нет.`,
    help: (c) =>
      `${c.utilityName}: ${format.ru(c)}. Приём с ${c.window.startDay} по ${c.window.endDay} число. Счёт: СЧЕТ. Отписка: СТОП.`,
  },
  en: {
    format: (c) => `${c.utilityName}: message not understood. ${format.en(c)}`,
    fraction: (c) => `${c.utilityName}: send whole units only, no decimals. ${format.en(c)}`,
    email: (c) => `${c.utilityName}: the e-mail address is not valid. ${format.en(c)}`,
    'reading-window-closed': (c) =>
      `${c.utilityName}: readings are taken from the ${c.window.startDay}th to the ${c.window.endDay}th.`,
    'account-not-found': (c, p) =>
      `${c.utilityName}: account ${p.account} not found. Check the number on your bill.`,
    'phone-not-registered': (c, p) =>
      `${c.utilityName}: this phone is not registered on account ${p.account}. Check the number on your bill.`,
    'account-multiple-meters': (c) =>
      `${c.utilityName}: SMS takes one meter only; send these readings on the website.`,
    'meter-not-found': (c) => `${c.utilityName}: meter not found.`,
    'reading-register-count': (c, p) =>
      `${c.utilityName}: this meter needs ${p.count} readings. ${format.en(c)}`,
    'reading-too-many-digits': (c, p) =>
      `${c.utilityName}: the meter shows at most ${p.digits} digits. ${format.en(c)}`,
    'reading-below-previous': (c, p) =>
      `${c.utilityName}: reading ${p.value} is below the previous one (${p.previous}). Check and send again.`,
    'reading-window-full': (c, p) =>
      `${c.utilityName}: a meter takes at most ${p.max} readings a month, and this month's are in. The last one accepted counts.`,
    accepted: (c) => `${c.utilityName}: reading accepted.`,
    'no-bill': (c) => `${c.utilityName}: there is no bill yet.`,
    help: (c) =>
      `${c.utilityName}: ${format.en(c)}. Taken from the ${c.window.startDay}th to the ${c.window.endDay}th. BILL for your bill, STOP to stop.`,
  },
};

export function readingReply(
  language: string,
  kind: ReadingReplyKind,
  context: ReplyContext,
  params: Params = {},
): string {
  const set = templates[language as 'ko' | 'ru' | 'en'] ?? templates.en;
  return set[kind](context, params);
}

export function isReadingReplyKind(type: string): type is ReadingReplyKind {
  return type in templates.en;
}
