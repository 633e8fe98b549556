// What GET /utility answers (functions/app/utility-profile.ts), as both pages read it: the utility's name,
// languages, numbers, districts with their areas and complaint types, in the language asked for.

export interface ComplaintAttribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  name: string;
  hint?: string;
  order: number;
  /** `private` marks a choice that keeps the report's place out of public view (a leak indoors). */
  values?: Array<{ key: string; name: string; private?: true }>;
}

export interface ComplaintType {
  code: string;
  name: string;
  description: string;
  group?: string;
  slaHours: number;
  public: boolean;
  attributes: ComplaintAttribute[];
}

/** A district's area, as the utility's config draws it: [lat, long] corners or a box. */
export type DistrictArea =
  | { polygon: Array<[number, number]> }
  | { box: { south: number; west: number; north: number; east: number } };

export interface Utility {
  language: string;
  id: string;
  name: string;
  languages: string[];
  locale: string;
  currency: string;
  timeZone: string;
  contactPhone: string;
  smsNumber: string;
  readingWindow: { startDay: number; endDay: number };
  consent: { version: string; text: string };
  districts: Array<{ code: string; name: string; area?: DistrictArea }>;
  complaintTypes: ComplaintType[];
  /** The channels bill notices can come by, the messenger first where there is one; `name` where the utility gives one. */
  channels: Array<{ code: 'messenger' | 'sms'; name?: string }>;
}
