// What an inbound SMS says, by the utility's grammar: a keyword, or an account and its meter
// readings (digits before the decimal point), optionally followed by an e-mail address.
// Tolerates extra whitespace, a leading +, #, N or № before the account, full-width digits and case.
import { z } from 'zod';

export type Keyword = 'stop' | 'start' | 'help' | 'bill';

export type SmsCommand =
  | { kind: 'empty' }
  /** One member per keyword, so each narrows on its own. */
  | { [K in Keyword]: { kind: K; keyword: string; accountNumber?: string } }[Keyword]
  | { kind: 'reading'; accountNumber: string; readings: number[]; email?: string }
  | { kind: 'invalid'; problem: 'format' | 'fraction' | 'email'; text: string };

export interface SmsGrammar {
  /** Characters between the account, the readings and the e-mail; whitespace always separates. */
  separators: string[];
  /** `1234,5`: read as 1234, or refused. */
  fractions: 'truncate' | 'reject';
}

/** Keywords in each language the demo utilities use, and English. */
const KEYWORDS: Record<Keyword, string[]> = {
  stop: ['STOP', 'СТОП', '중지', 'UNSUBSCRIBE', 'ОТПИСАТЬСЯ', '수신거부'],
  start: ['START', 'СТАРТ', '시작', 'SUBSCRIBE', 'ПОДПИСАТЬСЯ'],
  help: ['HELP', 'ПОМОЩЬ', '도움', '도움말', '?'],
  bill: ['BILL', 'СЧЕТ', 'СЧЁТ', '요금'],
};

/** The most digits a reading may have: more than any meter shows, fewer than a safe integer. */
const MAX_READING_DIGITS = 12;
const MAX_READINGS = 3;

/** NFKC folds full-width letters and digits (Ｓｔｏｐ, １２３) into their ordinary forms. */
export function normalizeSmsText(body: string): string {
  return body.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

const stripPunctuation = (word: string) => word.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');

function keywordOf(word: string): Keyword | undefined {
  const upper = word.toUpperCase();
  const bare = stripPunctuation(upper);
  for (const kind of Object.keys(KEYWORDS) as Keyword[]) {
    if (KEYWORDS[kind].includes(bare) || (bare === '' && KEYWORDS[kind].includes(upper))) return kind;
  }
  return undefined;
}

// NFKC has already turned № into "No".
const ACCOUNT_PREFIX = /^(?:\+|#|No\.?(?=[\s\d])|N(?=[\s\d]))/i;
const READING = new RegExp(`^(\\d{1,${MAX_READING_DIGITS}})(?:[.,](\\d+))?$`);
const email = z.email();

function escapeForClass(ch: string): string {
  return ch.replace(/[\\\]^-]/g, '\\$&');
}

export function parseSmsCommand(body: string, grammar: SmsGrammar): SmsCommand {
  const text = normalizeSmsText(body);
  if (text === '') return { kind: 'empty' };

  const words = text.split(' ');
  const first = words[0] ?? '';
  const keyword = keywordOf(first);
  if (keyword) {
    const rest = words.slice(1).join(' ');
    const account = /^(?:[+#]|No\.?|N)?\s*(\d+)$/i.exec(rest)?.[1];
    if (rest === '' || (account && keyword === 'bill')) {
      return { kind: keyword, keyword: first, accountNumber: account || undefined };
    }
    return { kind: 'invalid', problem: 'format', text };
  }

  const separators = grammar.separators
    .filter((s) => !/\s/.test(s))
    .map(escapeForClass)
    .join('');
  const split = separators ? new RegExp(`[\\s${separators}]+`, 'u') : /\s+/u;
  const withoutPrefix = text.replace(ACCOUNT_PREFIX, '').trim();
  const tokens = withoutPrefix.split(split).filter((t) => t !== '');
  const [account, ...rest] = tokens;
  if (!account || !/^\d{1,32}$/.test(account)) return { kind: 'invalid', problem: 'format', text };

  let address: string | undefined;
  const last = rest[rest.length - 1];
  if (last?.includes('@')) {
    if (!email.safeParse(last).success) return { kind: 'invalid', problem: 'email', text };
    address = last;
    rest.pop();
  }
  if (rest.length === 0 || rest.length > MAX_READINGS) return { kind: 'invalid', problem: 'format', text };
  const readings: number[] = [];
  for (const token of rest) {
    const match = READING.exec(token);
    if (!match) return { kind: 'invalid', problem: 'format', text };
    if (match[2] !== undefined && grammar.fractions === 'reject')
      return { kind: 'invalid', problem: 'fraction', text };
    readings.push(Number(match[1]));
  }
  return { kind: 'reading', accountNumber: account, readings, email: address || undefined };
}
