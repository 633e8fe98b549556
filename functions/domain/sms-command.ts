// What an inbound SMS asks for. Keywords are matched in every supported language and in English,
// after folding full-width forms, case and surrounding punctuation.

export type SmsCommand =
  | { kind: 'empty' }
  | { kind: 'stop'; keyword: string }
  | { kind: 'start'; keyword: string }
  | { kind: 'other'; text: string };

const KEYWORDS: Record<'stop' | 'start', string[]> = {
  stop: ['STOP', 'СТОП', '중지', 'UNSUBSCRIBE', 'ОТПИСАТЬСЯ', '수신거부'],
  start: ['START', 'СТАРТ', '시작', 'SUBSCRIBE', 'ПОДПИСАТЬСЯ'],
};

/** NFKC folds full-width letters and digits (Ｓｔｏｐ, １２３) into their ordinary forms. */
export function normalizeSmsText(body: string): string {
  return body.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export function parseSmsCommand(body: string): SmsCommand {
  const text = normalizeSmsText(body);
  if (text === '') return { kind: 'empty' };
  const word = text.replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '').toUpperCase();
  for (const kind of ['stop', 'start'] as const) {
    if (KEYWORDS[kind].includes(word)) return { kind, keyword: text };
  }
  return { kind: 'other', text };
}
