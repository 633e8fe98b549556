// Every outbound notice as text: the messenger template with its parameters, and the SMS/LMS that carries the same notice.
import type { Account } from './account.ts';
import type { Bill } from './bill.ts';
import { AppError, type FieldProblem } from './errors.ts';
import {
  DEFAULT_MAX_PARTS,
  KOREAN_LMS_BYTES,
  type MessageSize,
  messageSize,
  sizeLimit,
} from './message-size.ts';
import { type AnnouncementKind, announcementDraft } from './notice-text-announcement.ts';
import { billDraft } from './notice-text-bill.ts';
import { leakCheckDraft, readingWindowDraft } from './notice-text-cycle.ts';
import {
  type Formatting,
  fillTemplate,
  messengerLength,
  NOTICE_LANGUAGES,
  type NoticeLanguage,
  type NoticeService,
} from './notice-text-format.ts';
import { autoPayFailedDraft, autoPaySucceededDraft, dueReminderDraft } from './notice-text-payment.ts';
import type { Subscription } from './subscription.ts';

export type NoticeKind =
  | 'bill'
  | 'announcement'
  | 'auto-pay-succeeded'
  | 'auto-pay-failed'
  | 'due-reminder'
  | 'reading-window'
  | 'leak-check';

/** What a notice needs to know about its utility, built once per run from the utility's configuration. */
export interface NoticeContext {
  /** The utility's name in its primary language; `utilityNames` wins where it has the notice's language. */
  utilityName: string;
  contactPhone: string;
  currency: string;
  /** The utility's locale (ko-KR): its language is the primary one, its region how numbers and dates read. */
  locale: string;
  /** ISO 3166 country of the recipients: KR counts EUC-KR bytes, any other GSM-7/UCS-2 parts. */
  country: string;
  timeZone: string;
  /** Day of the month auto-pay is withdrawn (Seoul: the 23rd); without it, on the due date. */
  autoPayDay?: number;
  /** The languages the utility writes to residents in (config `languages`); absent: its locale's only. */
  languages?: readonly string[];
  utilityNames?: Readonly<Record<string, string>>;
  /** Water or electricity, which names an announcement's outage; a bill's own unit names the bill. */
  service?: NoticeService;
  /** Printed labels of charge and reduction codes per language (config `tariffs`, `reductions`). */
  chargeLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  reductionLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Most parts a GSM/UCS-2 SMS may take (default 10). */
  maxSmsParts?: number;
  /**
   * Whether the utility sends by messenger at all (absent: it does). Without one, a text longer than the messenger
   * takes is no reason to refuse a notice: only its SMS must fit.
   */
  messenger?: boolean;
  /** What the billing cycle's notices tell: the reading window, where readings are texted, how to check a leak. */
  cycle?: CycleContext;
}

/** The configuration's part in the reading-window and leak-check notices. */
export interface CycleContext {
  window: { startDay: number; endDay: number };
  /** The number residents text readings to. */
  smsNumber: string;
  /** An account number as printed (config accountNumber.example), for the reading SMS's example. */
  accountExample: string;
  /** Who reads a meter that does not say (config readings.readBy). */
  readBy: 'resident' | 'utility';
  /** How to check for a leak, per language (config readings.leakCheckText). */
  leakCheckText: Readonly<Record<string, string>>;
}

/** The subscription's part in a notice: the language it chose and the households that share the meter. */
export type NoticeRecipient = Pick<Subscription, 'language' | 'households'>;

interface BillBased {
  account: Account;
  bill: Bill;
  subscription: NoticeRecipient;
}

export type NoticeInput =
  | ({ kind: 'bill' | 'due-reminder' } & BillBased)
  /** `payment` defaults to the bill's last auto-pay payment. */
  | ({ kind: 'auto-pay-succeeded'; payment?: { paidAt: string; amount: number } } & BillBased)
  /** `attemptedOn` (local date) defaults to the withdrawal date; `reason` is the bank's, as it gave it. */
  | ({ kind: 'auto-pay-failed'; attemptedOn?: string; reason?: string } & BillBased)
  /** `averageVolume`: the account's usage per bill before this one, where it has earlier bills. */
  | ({ kind: 'leak-check'; averageVolume?: number } & BillBased)
  /** `period`: the month whose reading window opens. */
  | { kind: 'reading-window'; account: Account; period: string; subscription: NoticeRecipient }
  | {
      kind: 'announcement';
      announcement: { kind: AnnouncementKind; texts: Readonly<Record<string, string>> };
      subscription: Pick<Subscription, 'language'>;
    };

export interface RenderedNotice {
  kind: NoticeKind;
  language: NoticeLanguage;
  messenger: {
    /** The approved template: with `language` (and the utility) it names the provider's template code. */
    templateKey: string;
    /** The template as approved, with #{key} placeholders. */
    template: string;
    parameters: Record<string, string>;
    text: string;
    /** Code points, against AlimTalk's 1,000. */
    characters: number;
  };
  sms: {
    text: string;
    size: MessageSize;
    /** The whole notice, or its essentials when the whole one does not fit an SMS/LMS. */
    variant: 'full' | 'short';
  };
}

/** AlimTalk refuses a message over 1,000 characters (Kakao result 3014). */
export const MESSENGER_MAX_CHARACTERS = 1000;

/** A notice that cannot be written: the wrong kind for the payment method, too long, or without a text. */
export class NoticeTextError extends AppError {
  constructor(type: string, message: string, extensions: Record<string, unknown> = {}) {
    super('unprocessable', type, message, extensions);
    this.name = 'NoticeTextError';
  }
}

/** A per-kind module's notice before it is checked against the messenger's and the SMS's limits. */
export interface NoticeDraft {
  templateKey: string;
  template: string;
  parameters: Record<string, string>;
  /**
   * Lines of one parameter (a bill's charges) that may be summed up, from the last, when the messenger text is
   * too long: the first lines stay, the rest become one summary line with their total.
   */
  collapsible?: {
    key: string;
    lines: ReadonlyArray<{ text: string; amount: number }>;
    summary: (count: number, amount: number) => string;
  };
  /** The essentials, sent by SMS when the whole notice does not fit one. */
  essentials?: string;
}

/** The subscription's language where the utility writes in it, else the utility's primary language, else English. */
export function noticeLanguage(
  requested: string | undefined,
  context: Pick<NoticeContext, 'locale' | 'languages'>,
  available: (language: NoticeLanguage) => boolean = () => true,
): NoticeLanguage {
  const primary = context.locale.slice(0, 2);
  const offered = context.languages ?? [primary];
  // English is the last resort, for a utility whose own language has no templates here.
  const candidates = [...(requested && offered.includes(requested) ? [requested] : []), primary, 'en'].filter(
    (language): language is NoticeLanguage => (NOTICE_LANGUAGES as readonly string[]).includes(language),
  );
  const chosen = candidates.find((language) => available(language));
  if (!chosen) {
    throw new NoticeTextError('notice-text-missing', `No text in ${[requested, primary].join(' or ')}.`);
  }
  return chosen;
}

/** Writes a notice in the recipient's language, for the messenger and for SMS. */
export function renderNotice(input: NoticeInput, context: NoticeContext): RenderedNotice {
  const texts = input.kind === 'announcement' ? input.announcement.texts : undefined;
  const language = noticeLanguage(input.subscription.language, context, (l) => !texts || Boolean(texts[l]));
  const f: Formatting = {
    language,
    region: context.locale.slice(3) || context.country,
    currency: context.currency,
    country: context.country,
    timeZone: context.timeZone,
  };
  const draft = drafted(input, context, f);
  const messenger = fitMessenger(draft, context.messenger !== false);
  return { kind: input.kind, language, messenger, sms: smsOf(draft, context) };
}

function drafted(input: NoticeInput, context: NoticeContext, f: Formatting): NoticeDraft {
  switch (input.kind) {
    case 'bill':
      return billDraft(input, context, f);
    case 'due-reminder':
      return dueReminderDraft(input, context, f);
    case 'reading-window':
      return readingWindowDraft(input, context, f);
    case 'leak-check':
      return leakCheckDraft(input, context, f);
    case 'auto-pay-succeeded':
    case 'auto-pay-failed': {
      if (input.account.paymentMethod !== 'auto-pay') {
        throw new NoticeTextError(
          'notice-not-applicable',
          `Account ${input.account.accountNumber} pays by ${input.account.paymentMethod}: no ${input.kind} notice.`,
        );
      }
      if (input.kind === 'auto-pay-failed') return autoPayFailedDraft(input, context, f);
      const payment = input.payment ?? input.bill.payments.findLast((p) => p.method === 'auto-pay');
      if (!payment) {
        throw new NoticeTextError(
          'notice-not-applicable',
          `Bill ${input.bill.period} of ${input.bill.accountNumber} has no auto-pay payment to confirm.`,
        );
      }
      return autoPaySucceededDraft({ ...input, payment }, context, f);
    }
    case 'announcement':
      return announcementDraft(input.announcement, context, f);
  }
}

/**
 * The messenger text within AlimTalk's 1,000 characters: whole, or with the collapsible lines summed up from the
 * last one until it fits (deterministic: the same notice always gives the same text). Refused when even one summary
 * line is too long.
 */
function fitMessenger(draft: NoticeDraft, refuse: boolean): RenderedNotice['messenger'] {
  const attempt = (parameters: Record<string, string>) => {
    const text = fillTemplate(draft.template, parameters);
    return {
      templateKey: draft.templateKey,
      template: draft.template,
      parameters,
      text,
      characters: messengerLength(text),
    };
  };
  const whole = attempt(draft.parameters);
  if (whole.characters <= MESSENGER_MAX_CHARACTERS || !refuse) return whole;
  const collapsible = draft.collapsible;
  if (collapsible) {
    for (let kept = collapsible.lines.length - 1; kept >= 0; kept--) {
      const rest = collapsible.lines.slice(kept);
      const summary = collapsible.summary(
        rest.length,
        rest.reduce((sum, line) => sum + line.amount, 0),
      );
      const lines = [...collapsible.lines.slice(0, kept).map((line) => line.text), summary].join('\n');
      const shorter = attempt({ ...draft.parameters, [collapsible.key]: lines });
      if (shorter.characters <= MESSENGER_MAX_CHARACTERS) return shorter;
    }
  }
  throw new NoticeTextError(
    'notice-too-long',
    `The ${draft.templateKey} text has ${whole.characters} characters; the messenger takes at most ${MESSENGER_MAX_CHARACTERS}.`,
    { characters: whole.characters, maxCharacters: MESSENGER_MAX_CHARACTERS },
  );
}

/** The whole notice when it fits an SMS/LMS, else its essentials: never a text cut off in the middle. */
function smsOf(draft: NoticeDraft, context: NoticeContext): RenderedNotice['sms'] {
  const options = { maxParts: context.maxSmsParts };
  const text = fillTemplate(draft.template, draft.parameters);
  const size = messageSize(text, context.country, options);
  if (size.fits || draft.essentials === undefined) return { text, size, variant: 'full' };
  return {
    text: draft.essentials,
    size: messageSize(draft.essentials, context.country, options),
    variant: 'short',
  };
}

/**
 * Why an announcement cannot go out as written, per language the utility writes in (`body.texts.<language>`): for
 * a 422 when it is posted, rather than a notice the sender cannot send. Each problem carries a stable `code` and its
 * figures beside the English `message`, so a console can say it in its clerk's language.
 */
export function announcementProblems(
  announcement: { kind: AnnouncementKind; texts: Readonly<Record<string, string>> },
  context: NoticeContext,
): FieldProblem[] {
  const primary = context.locale.slice(0, 2);
  const languages = [...new Set([primary, ...(context.languages ?? [])])].filter((language) =>
    (NOTICE_LANGUAGES as readonly string[]).includes(language),
  );
  const problems: FieldProblem[] = [];
  for (const language of languages) {
    const field = `body.texts.${language}`;
    if (!announcement.texts[language]?.trim()) {
      problems.push({
        field,
        message: `a text in "${language}" is required: the utility writes to residents in it`,
        code: 'text-required',
        language,
      });
      continue;
    }
    const input = { kind: 'announcement' as const, announcement, subscription: { language } };
    try {
      // The SMS first and on its own, so a text both too long for the messenger and unencodable says both.
      const { sms } = renderNotice(input, { ...context, messenger: false });
      if (!sms.size.fits) problems.push({ field, ...tooBigForSms(sms.size, context) });
      if (context.messenger !== false) renderNotice(input, context);
    } catch (error) {
      if (!(error instanceof NoticeTextError)) throw error;
      problems.push({ field, message: error.message, ...messengerFigures(error) });
    }
  }
  return problems;
}

/** Why an SMS/LMS cannot carry the text: characters the phones lack first (cutting would not help), else its size. */
function tooBigForSms(size: MessageSize, context: NoticeContext): Omit<FieldProblem, 'field'> {
  if (size.unencodable.length > 0) {
    return {
      message: `Korean phones cannot show ${size.unencodable.map((c) => `"${c}"`).join(', ')} (not in EUC-KR)`,
      code: 'unencodable-characters',
      characters: size.unencodable,
    };
  }
  const { unit, limit } = sizeLimit(size, context.maxSmsParts);
  const figures = {
    code: 'too-long',
    size: unit === 'bytes' ? size.bytes : size.characters,
    limit,
    unit,
    parts: size.parts,
  };
  if (size.scheme === 'korean') {
    return {
      message: `${size.bytes} EUC-KR bytes with the title and contact line; an LMS takes at most ${KOREAN_LMS_BYTES}`,
      ...figures,
    };
  }
  return {
    message: `${size.parts} SMS parts (${size.characters} ${size.encoding} characters) with the title and contact line; at most ${context.maxSmsParts ?? DEFAULT_MAX_PARTS} parts`,
    ...figures,
  };
}

/** The code of a text the messenger refuses, with its length and the messenger's limit in characters. */
function messengerFigures(error: NoticeTextError): Omit<FieldProblem, 'field' | 'message'> {
  const { characters, maxCharacters } = error.extensions;
  if (
    error.type !== 'notice-too-long' ||
    typeof characters !== 'number' ||
    typeof maxCharacters !== 'number'
  ) {
    return { code: error.type };
  }
  return { code: 'messenger-too-long', size: characters, limit: maxCharacters, unit: 'characters' };
}
