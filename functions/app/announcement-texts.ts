// The rules an announcement's texts must pass to go out, and each language's message as its subscribers receive it.
import type { UtilityConfig } from '#config/schema';
import type { AnnouncementRequest } from '#domain/announcement';
import type { FieldProblem } from '#domain/errors';
import { messageSize, sizeLimit } from '#domain/message-size';
import { announcementProblems, NoticeTextError, renderNotice } from '#domain/notice-text';
import { announcementDraft } from '#domain/notice-text-announcement';
import { fillTemplate, NOTICE_LANGUAGES, type NoticeLanguage } from '#domain/notice-text-format';
import { contextOf } from './notice-render.ts';
import type { Deps } from './ports.ts';

type Texts = Pick<AnnouncementRequest, 'kind' | 'texts'>;

/** The utility's primary language and the others it writes in. */
function spokenLanguages(config: UtilityConfig): string[] {
  return [...new Set([config.locale.slice(0, 2), ...config.languages])];
}

/**
 * Why an announcement cannot go out as written, by field (`body.texts.<language>`): a language the utility does not
 * write in, a missing text, one too long for an SMS/LMS or with characters a Korean phone cannot show; each with its
 * stable `code` and figures beside the English `message`.
 */
export function announcementTextProblems(config: UtilityConfig, request: Texts): FieldProblem[] {
  const spoken = spokenLanguages(config);
  return [
    ...Object.keys(request.texts)
      .filter((language) => !spoken.includes(language))
      .map((language) => ({
        field: `body.texts.${language}`,
        message: `the utility does not write in "${language}" (it writes in ${spoken.join(', ')})`,
        code: 'language-not-written',
        language,
        languages: spoken,
      })),
    ...announcementProblems(request, contextOf(config)),
  ];
}

export interface LanguagePreview {
  language: string;
  /** The whole SMS as a subscriber of this language receives it: title, text and contact line ('' without a text). */
  message: string;
  /** How it goes by SMS: SMS, or LMS (Korea, over 90 EUC-KR bytes). */
  channel: 'SMS' | 'LMS';
  parts: number;
  /** In `sizeUnit`: EUC-KR bytes in Korea, characters (GSM-7 septets or UCS-2 code units) elsewhere. */
  size: number;
  sizeUnit: 'bytes' | 'characters';
  encoding: string;
  /** The largest `size` that can still be sent. */
  limit: number;
  /** Whether POST /admin/announcements would take this language's text as it is. */
  fits: boolean;
  problems: FieldProblem[];
}

/**
 * Each language's message, size and problems, judged by exactly the rules POST /admin/announcements applies: every
 * language the utility writes in (a missing one does not fit), and any other the request names (refused there).
 */
export function previewAnnouncement(
  deps: Pick<Deps, 'config'>,
  request: Texts,
): { items: LanguagePreview[] } {
  const { config } = deps;
  const context = contextOf(config);
  const problems = announcementTextProblems(config, request);
  const languages = [...new Set([...spokenLanguages(config), ...Object.keys(request.texts)])];
  const items = languages.map((language): LanguagePreview => {
    const own = problems.filter((p) => p.field === `body.texts.${language}`);
    const message = request.texts[language]?.trim() ? messageIn(request, language, context) : '';
    const size = messageSize(message, context.country, { maxParts: context.maxSmsParts });
    const { unit, limit } = sizeLimit(size, context.maxSmsParts);
    return {
      language,
      message,
      channel: size.type,
      parts: message ? size.parts : 0,
      size: unit === 'bytes' ? size.bytes : size.characters,
      sizeUnit: unit,
      encoding: size.encoding,
      limit,
      fits: own.length === 0 && message !== '',
      problems: own,
    };
  });
  return { items };
}

/** The SMS text a subscriber of `language` gets (as the sender renders it), even when it is too long to send. */
function messageIn(request: Texts, language: string, context: ReturnType<typeof contextOf>): string {
  if (!(NOTICE_LANGUAGES as readonly string[]).includes(language))
    return request.texts[language]?.trim() ?? '';
  try {
    return renderNotice({ kind: 'announcement', announcement: request, subscription: { language } }, context)
      .sms.text;
  } catch (error) {
    // Too long even for the messenger: the same template filled in, so staff see how much to cut.
    if (!(error instanceof NoticeTextError)) throw error;
    const draft = announcementDraft(request, context, {
      language: language as NoticeLanguage,
      region: context.locale.slice(3) || context.country,
      currency: context.currency,
      country: context.country,
      timeZone: context.timeZone,
    });
    return fillTemplate(draft.template, draft.parameters);
  }
}
