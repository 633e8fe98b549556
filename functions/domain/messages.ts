// Texts sent to residents, in the utility's languages. Pure templates.

export interface OtpText {
  utilityName: string;
  code: string;
  minutes: number;
}

const otpTemplates: Record<string, (t: OtpText) => string> = {
  ko: (t) => `[${t.utilityName}] 인증번호 ${t.code} (${t.minutes}분 이내 입력). 타인에게 알려주지 마세요.`,
  ru: (t) =>
    `${t.utilityName}: код подтверждения ${t.code}, действует ${t.minutes} мин. Никому его не сообщайте.`,
  en: (t) => `${t.utilityName}: your code is ${t.code}, valid for ${t.minutes} minutes. Do not share it.`,
};

export function otpText(language: string, text: OtpText): string {
  const template = otpTemplates[language] ?? otpTemplates.en;
  return (template as (t: OtpText) => string)(text);
}

export interface SubscriptionCodeText {
  utilityName: string;
  code: string;
  minutes: number;
}

const subscriptionCodeTemplates: Record<string, (t: SubscriptionCodeText) => string> = {
  ko: (t) => `[${t.utilityName}] 요금 알림 신청 인증번호 ${t.code} (${t.minutes}분 이내 입력).`,
  ru: (t) => `${t.utilityName}: код для подписки на квитанции ${t.code}, действует ${t.minutes} мин.`,
  en: (t) =>
    `${t.utilityName}: your code to confirm bill notices is ${t.code}, valid for ${t.minutes} minutes.`,
};

export function subscriptionCodeText(language: string, text: SubscriptionCodeText): string {
  return (subscriptionCodeTemplates[language] ?? subscriptionCodeTemplates.en)?.(text) ?? '';
}

/** Replies to the opt-out keywords and to anything the SMS number does not understand (yet). */
type ReplyKind = 'stopped' | 'started' | 'not-resumed' | 'help';

const replies: Record<string, Record<ReplyKind, (name: string) => string>> = {
  ko: {
    stopped: (n) => `[${n}] 요금 알림 수신이 중지되었습니다. 다시 받으려면 시작 또는 START를 보내주세요.`,
    started: (n) => `[${n}] 요금 알림 수신이 다시 시작되었습니다. 중지하려면 중지 또는 STOP을 보내주세요.`,
    'not-resumed': (n) =>
      `[${n}] 일부 알림은 다시 시작할 수 없습니다: 이 번호가 이미 받고 있거나 계정의 수신 번호가 가득 찼습니다.`,
    help: (n) => `[${n}] 알림을 끊으려면 중지(STOP), 다시 받으려면 시작(START)을 보내주세요.`,
  },
  ru: {
    stopped: (n) => `${n}: уведомления отключены. Чтобы снова получать их, отправьте СТАРТ или START.`,
    started: (n) => `${n}: уведомления снова включены. Чтобы отключить, отправьте СТОП или STOP.`,
    'not-resumed': (n) =>
      `${n}: часть уведомлений включить не удалось: номер уже получает их или на лицевом счёте предельное число номеров.`,
    help: (n) =>
      `${n}: чтобы отключить уведомления, отправьте СТОП (STOP), чтобы включить снова, СТАРТ (START).`,
  },
  en: {
    stopped: (n) => `${n}: notices stopped. Text START to get them again.`,
    started: (n) => `${n}: notices resumed. Text STOP to stop them.`,
    'not-resumed': (n) =>
      `${n}: some notices could not be resumed: this phone already gets them, or the account has its maximum of phones.`,
    help: (n) => `${n}: text STOP to stop notices, START to get them again.`,
  },
};

export function keywordReply(language: string, kind: ReplyKind, utilityName: string): string {
  return (replies[language] ?? replies.en)?.[kind](utilityName) ?? '';
}

export interface BillSummaryText {
  utilityName: string;
  period: string;
  amount: string;
  dueDate: string;
  status: 'unpaid' | 'paid' | 'overdue';
}

const billTemplates: Record<string, (b: BillSummaryText) => string> = {
  ko: (b) =>
    `[${b.utilityName}] ${b.period} 요금 ${b.amount}, 납기 ${b.dueDate} (${{ unpaid: '미납', paid: '납부완료', overdue: '체납' }[b.status]})`,
  ru: (b) =>
    `${b.utilityName}: счёт за ${b.period} — ${b.amount}, оплатить до ${b.dueDate} (${{ unpaid: 'не оплачен', paid: 'оплачен', overdue: 'просрочен' }[b.status]})`,
  en: (b) => `${b.utilityName}: bill ${b.period}: ${b.amount}, due ${b.dueDate} (${b.status})`,
};

export function billSummaryText(language: string, bill: BillSummaryText): string {
  return (billTemplates[language] ?? billTemplates.en)?.(bill) ?? '';
}
