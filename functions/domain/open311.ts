// Open311 GeoReport v2 views of our complaint types and complaints: the spec's field names, pure mapping.
import { DateTime } from 'luxon';
import type { ComplaintTypeConfig } from '#config/complaints';
import { type Complaint, isOpen, shownPublicly } from './complaint.ts';

/** The two formats the spec names by file extension; XML is the one it requires. */
export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** Picks a configured text in `language`, else in the utility's primary language. */
export type Localize = (text: Record<string, string>) => string;

/** One entry of GET services: a complaint type as an Open311 service. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  /** Whether GET services/{code} has attributes to ask for. */
  metadata: boolean;
  /** We answer every POST with the request's id at once, so every service is realtime. */
  type: 'realtime';
  keywords: string;
  group: string;
}

export function serviceEntry(type: ComplaintTypeConfig, localize: Localize): Open311Service {
  return {
    service_code: type.code,
    service_name: localize(type.name),
    description: localize(type.description),
    metadata: type.attributes.length > 0,
    type: 'realtime',
    keywords: type.keywords.join(','),
    group: type.group ? localize(type.group) : '',
  };
}

export interface Open311Attribute {
  /** True: every configured attribute is a question for the reporter (none is informational only). */
  variable: boolean;
  code: string;
  datatype: ComplaintTypeConfig['attributes'][number]['datatype'];
  required: boolean;
  datatype_description: string;
  /** 1-based position in the form. */
  order: number;
  description: string;
  values: Array<{ key: string; name: string }>;
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

export function serviceDefinition(type: ComplaintTypeConfig, localize: Localize): Open311ServiceDefinition {
  return {
    service_code: type.code,
    attributes: type.attributes.map((attribute, i) => ({
      variable: true,
      code: attribute.code,
      datatype: attribute.datatype,
      required: attribute.required,
      datatype_description: attribute.hint ? localize(attribute.hint) : '',
      order: i + 1,
      description: localize(attribute.name),
      values: (attribute.values ?? []).map((value) => ({ key: value.key, name: localize(value.name) })),
    })),
  };
}

/** One service request as GET requests shows it. Optional fields are left out when unknown or not public. */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description?: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address?: string;
  lat?: number;
  long?: number;
  /** Photos are shown through the native API only: no public media URL exists. */
  media_url: string;
}

/** What a request view needs besides the complaint: its type, texts in the answer's language, the utility's zone. */
export interface RequestContext {
  type: ComplaintTypeConfig;
  localize: Localize;
  language: string;
  timeZone: string;
  /** The office that handles it: the district's complaints desk (or the district), or the central desk. */
  agency: string;
}

/** A W3C date-time to the second with the utility's offset (2026-12-01T10:00:00+09:00), as the spec shows them. */
export function w3cDateTime(iso: string, timeZone: string): string {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone).startOf('second');
  return local.toISO({ suppressMilliseconds: true }) ?? iso;
}

const NOTICE: Record<string, (department: string, hours: number) => string> = {
  en: (department, hours) => `${department} handles it; expected within ${hours} hours.`,
  ko: (department, hours) => `${department}에서 처리합니다. 예상 처리 시간: ${hours}시간.`,
  ru: (department, hours) => `Рассматривает: ${department}; ожидаемый срок: ${hours} ч.`,
};

const MERGED: Record<string, (code: string) => string> = {
  en: (code) => `Handled together with request ${code}.`,
  ko: (code) => `민원 ${code}과(와) 함께 처리됩니다.`,
  ru: (code) => `Рассматривается вместе с обращением ${code}.`,
};

/** What the office does with a request of this type and how soon: the POST answer and every request view say it. */
export function serviceNotice(type: ComplaintTypeConfig, localize: Localize, language: string): string {
  return (NOTICE[language] ?? NOTICE.en)?.(localize(type.department), type.slaHours) ?? '';
}

const LOOKALIKES: Record<string, (codes: string) => string> = {
  en: (codes) => ` Similar requests are open: ${codes}.`,
  ko: (codes) => ` 비슷한 민원이 접수되어 있습니다: ${codes}.`,
  ru: (codes) => ` Похожие обращения уже рассматриваются: ${codes}.`,
};

/** What the POST answer adds when open requests look like the new one (the spec has no step to show them first). */
export function lookalikesNotice(codes: string[], language: string): string {
  if (codes.length === 0) return '';
  return (LOOKALIKES[language] ?? LOOKALIKES.en)?.(codes.join(', ')) ?? '';
}

/**
 * The public notes on a request: the reason given to the resident on rejection (a public complaint's only: a private
 * one's reason is about a household, and its reporter has it by SMS), or the request it was merged into.
 */
function statusNotes(complaint: Complaint, isPublic: boolean, language: string): string {
  if (complaint.status === 'rejected' && complaint.rejectReason && isPublic) return complaint.rejectReason;
  if (complaint.mergedInto) return (MERGED[language] ?? MERGED.en)?.(complaint.mergedInto) ?? '';
  return '';
}

/**
 * A complaint as an Open311 service request. service_request_id is the public tracking code, never the internal
 * id (which lets its holder add photos). Staff notes never appear; a private complaint (a private type, or a private
 * answer such as a leak indoors) shows neither its place nor the resident's description (a bill dispute names people
 * and sums).
 */
export function requestView(complaint: Complaint, context: RequestContext): Open311Request {
  const { type, localize, timeZone } = context;
  const shown = shownPublicly(complaint, type);
  return {
    service_request_id: complaint.trackingCode,
    status: isOpen(complaint.status) ? 'open' : 'closed',
    status_notes: statusNotes(complaint, shown, context.language),
    service_name: localize(type.name),
    service_code: complaint.type,
    ...(shown ? { description: complaint.description } : {}),
    agency_responsible: context.agency,
    service_notice: serviceNotice(type, localize, context.language),
    requested_datetime: w3cDateTime(complaint.createdAt, timeZone),
    updated_datetime: w3cDateTime(complaint.updatedAt, timeZone),
    expected_datetime: w3cDateTime(complaint.dueAt, timeZone),
    ...(shown && complaint.address ? { address: complaint.address } : {}),
    ...(shown && complaint.location ? { lat: complaint.location.lat, long: complaint.location.long } : {}),
    media_url: '',
  };
}

/** The answer to POST requests: the id at once (so no token), the notice, and the partner's account_id echoed. */
export interface Open311Created {
  service_request_id: string;
  service_notice: string;
  account_id: string;
}

/** The answer to GET tokens/{token}: our tokens are the tracking codes themselves. */
export interface Open311Token {
  service_request_id: string;
  token: string;
}

/** One entry of the spec's error list. `code` is the HTTP status it came with. */
export interface Open311Error {
  code: number;
  description: string;
}

/** The discovery document: where the GeoReport v2 endpoint is and what it speaks. */
export interface Open311Discovery {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: Array<{
    specification: string;
    url: string;
    changeset: string;
    type: 'production' | 'test';
    formats: string[];
  }>;
}

export const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
export const OPEN311_MEDIA_TYPE: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};
