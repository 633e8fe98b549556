// What a client shows about the utility before anyone signs in (GET /utility): nothing in a page is hard-coded.
import type { DistrictArea } from '#config/complaints';
import { localize, type UtilityConfig } from '#config/schema';
import { type ComplaintTypeView, listComplaintTypes } from './complaint-types.ts';
import type { Deps } from './ports.ts';

export interface UtilityProfile {
  /** The language every text below is in. */
  language: string;
  id: string;
  name: string;
  /** The languages the utility writes in: a language switch offers these. */
  languages: string[];
  locale: string;
  currency: string;
  timeZone: string;
  contactPhone: string;
  /** The number residents text readings and keywords to. */
  smsNumber: string;
  /** Days of the month (local) readings count for the coming bill. */
  readingWindow: { startDay: number; endDay: number };
  /** The consent a sign-up agrees to: its version goes back with the sign-up. */
  consent: { version: string; text: string };
  /** `area` as the config holds it (a polygon or a box), for a map to draw; absent where the config has none. */
  districts: Array<{ code: string; name: string; area?: DistrictArea }>;
  complaintTypes: ComplaintTypeView[];
  /**
   * The channels bill notices can come by, the messenger first where there is one (notices by messenger fall back
   * to SMS). `name` is the utility's own name for it, where the config gives one; a client names it otherwise.
   */
  channels: NoticeChannel[];
}

interface NoticeChannel {
  code: 'messenger' | 'sms';
  name?: string;
}

export function utilityProfile(
  deps: Pick<Deps, 'config'>,
  asked: { lang?: string; acceptLanguage?: string },
): UtilityProfile {
  const { config } = deps;
  const { language, types } = listComplaintTypes(deps, asked);
  const text = (value: Record<string, string>) => localize(config, value, language);
  return {
    language,
    id: config.id,
    name: text(config.name),
    languages: [...config.languages],
    locale: config.locale,
    currency: config.currency,
    timeZone: config.timeZone,
    contactPhone: config.contactPhone,
    smsNumber: config.smsNumber,
    readingWindow: { ...config.readings.window },
    consent: { version: config.subscriptions.consent.version, text: text(config.subscriptions.consent.text) },
    districts: config.districts.map((d) => ({
      code: d.code,
      name: text(d.name),
      ...(d.area ? { area: d.area } : {}),
    })),
    complaintTypes: types,
    channels: noticeChannels(config.channels.messenger, text),
  };
}

function noticeChannels(
  messenger: UtilityConfig['channels']['messenger'],
  text: (value: Record<string, string>) => string,
): NoticeChannel[] {
  const sms: NoticeChannel = { code: 'sms' };
  if (messenger.provider === 'none') return [sms];
  return [{ code: 'messenger', ...(messenger.name ? { name: text(messenger.name) } : {}) }, sms];
}
