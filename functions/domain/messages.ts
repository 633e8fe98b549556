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
