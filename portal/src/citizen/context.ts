// What every citizen page is given: the utility as GET /utility describes it, the page's language, its texts and
// formats, and the deployment's API origin (for the one download that cannot go through api()).
import type { Formats } from '../shared/format.ts';
import type { Route } from '../shared/router.ts';
import type { T } from './strings.ts';

export interface ComplaintAttribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  name: string;
  hint?: string;
  order: number;
  values?: Array<{ key: string; name: string }>;
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
}

export interface PageProps {
  utility: Utility;
  language: string;
  t: T;
  f: Formats;
  route: Route;
  apiBase: string;
}
