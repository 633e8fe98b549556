// Use case: the announcements residents of a district see on the portal (GET /announcements), in their language.
import { localize } from '#config/schema';
import { PUBLIC_ANNOUNCEMENT_DAYS, PUBLIC_ANNOUNCEMENT_MAX } from '#domain/announcement';
import { ValidationError } from '#domain/errors';
import { announcementTitle } from '#domain/notice-text-announcement';
import { NOTICE_LANGUAGES, type NoticeLanguage } from '#domain/notice-text-format';
import { contextOf } from './notice-render.ts';
import type { Deps } from './ports.ts';

export interface PublicAnnouncement {
  id: string;
  kind: string;
  /** The kind's title, as the SMS carries it, in the list's language. */
  title: string;
  /** Staff's text in the list's language, else in the utility's primary language. */
  text: string;
  districts: string[];
  sendAt: string;
}

export interface PublicAnnouncements {
  language: string;
  items: PublicAnnouncement[];
}

/**
 * Announcements already sent (send time not after now) within the last PUBLIC_ANNOUNCEMENT_DAYS days, latest first,
 * at most PUBLIC_ANNOUNCEMENT_MAX: of one district, or of every district. One bounded read; nothing else leaves
 * (not who wrote it, nor the run's counts).
 */
export async function publicAnnouncements(
  deps: Pick<Deps, 'config' | 'clock' | 'announcements'>,
  request: { district?: string; language: string },
): Promise<PublicAnnouncements> {
  const { config } = deps;
  const { district, language } = request;
  if (district !== undefined && !config.districts.some((d) => d.code === district)) {
    throw new ValidationError(`No district "${district}".`, [
      {
        field: 'query.district',
        message: `one of ${config.districts.map((d) => d.code).join(', ')}`,
      },
    ]);
  }
  const now = deps.clock.now();
  const found = await deps.announcements.sentBetween({
    district,
    from: new Date(now.getTime() - PUBLIC_ANNOUNCEMENT_DAYS * 86_400_000).toISOString(),
    to: now.toISOString(),
    limit: PUBLIC_ANNOUNCEMENT_MAX,
  });
  const titleLanguage: NoticeLanguage = (NOTICE_LANGUAGES as readonly string[]).includes(language)
    ? (language as NoticeLanguage)
    : 'en';
  const { service } = contextOf(config);
  return {
    language,
    items: found.map((a) => ({
      id: a.id,
      kind: a.kind,
      title: announcementTitle(a.kind, titleLanguage, service),
      text: localize(config, a.texts, language),
      districts: a.districts,
      sendAt: a.sendAt,
    })),
  };
}
