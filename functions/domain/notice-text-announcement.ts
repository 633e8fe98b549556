// Announcements: the utility's own text in the recipient's language, titled by kind and signed with its name and phone.
import type { NoticeContext, NoticeDraft } from './notice-text.ts';
import type { Formatting, NoticeLanguage, NoticeService } from './notice-text-format.ts';

export const ANNOUNCEMENT_KINDS = ['outage', 'freeze', 'leak-check', 'general'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

type Titles = Record<AnnouncementKind, string>;

/** Titles by service; `other` where the utility's service is not known. */
const titles: Record<NoticeLanguage, Record<NoticeService | 'other', Titles>> = {
  ko: {
    water: { outage: '단수 안내', freeze: '동파 예방 안내', 'leak-check': '누수 점검 안내', general: '알림' },
    electricity: {
      outage: '정전 안내',
      freeze: '한파 대비 안내',
      'leak-check': '누전 점검 안내',
      general: '알림',
    },
    other: { outage: '공급 중단 안내', freeze: '한파 대비 안내', 'leak-check': '점검 안내', general: '알림' },
  },
  ru: {
    water: {
      outage: 'отключение воды',
      freeze: 'как уберечь трубы от мороза',
      'leak-check': 'как проверить, нет ли утечки',
      general: 'объявление',
    },
    electricity: {
      outage: 'отключение электроэнергии',
      freeze: 'сильные морозы',
      'leak-check': 'как проверить расход электроэнергии',
      general: 'объявление',
    },
    other: {
      outage: 'плановое отключение',
      freeze: 'сильные морозы',
      'leak-check': 'проверка',
      general: 'объявление',
    },
  },
  en: {
    water: {
      outage: 'water outage',
      freeze: 'protect your pipes from frost',
      'leak-check': 'how to check for a leak',
      general: 'notice',
    },
    electricity: {
      outage: 'power outage',
      freeze: 'cold weather advice',
      'leak-check': 'how to check your consumption',
      general: 'notice',
    },
    other: {
      outage: 'service outage',
      freeze: 'cold weather advice',
      'leak-check': 'check',
      general: 'notice',
    },
  },
};

const bodies: Record<NoticeLanguage, string> = {
  ko: ['[#{utilityName}] #{title}', '', '#{text}', '', '문의: #{contactPhone}'].join('\n'),
  ru: ['#{utilityName}: #{title}', '', '#{text}', '', 'Телефон для справок: #{contactPhone}'].join('\n'),
  en: ['#{utilityName}: #{title}', '', '#{text}', '', 'Questions: #{contactPhone}'].join('\n'),
};

/** The title an announcement of this kind carries in this language. */
export function announcementTitle(
  kind: AnnouncementKind,
  language: NoticeLanguage,
  service?: NoticeService,
): string {
  return titles[language][service ?? 'other'][kind];
}

/** The announcement in `f.language`, whose text the caller has checked is there. */
export function announcementDraft(
  announcement: { kind: AnnouncementKind; texts: Readonly<Record<string, string>> },
  context: NoticeContext,
  f: Formatting,
): NoticeDraft {
  const language = f.language;
  return {
    templateKey: 'announcement',
    template: bodies[language],
    parameters: {
      utilityName: context.utilityNames?.[language] ?? context.utilityName,
      title: announcementTitle(announcement.kind, language, context.service),
      text: (announcement.texts[language] ?? '').trim(),
      contactPhone: context.contactPhone,
    },
  };
}
