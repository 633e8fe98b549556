// A complaint: what a resident reported, where it was routed, its workflow and its audit history.
import { z } from 'zod';
import type { ComplaintAttributeConfig, ComplaintTypeConfig } from '#config/complaints';
import { type FieldProblem, ValidationError } from './errors.ts';

/** Open311's limit on a description, which the native API keeps too. */
export const DESCRIPTION_MAX_LENGTH = 4000;
const ADDRESS_MAX_LENGTH = 300;
const STRING_ATTRIBUTE_MAX_LENGTH = 200;

export const COMPLAINT_STATUSES = ['received', 'assigned', 'in_progress', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** The only moves the workflow allows; resolved and rejected are final. */
const TRANSITIONS: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  received: ['assigned', 'rejected'],
  assigned: ['in_progress', 'resolved', 'rejected'],
  in_progress: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

export function allowedTransitions(from: ComplaintStatus): readonly ComplaintStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: ComplaintStatus, to: ComplaintStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Still being handled: counts for the SLA and is "open" in Open311. */
export function isOpen(status: ComplaintStatus): boolean {
  return status !== 'resolved' && status !== 'rejected';
}

/** The central desk's queue: complaints no district could be found for. */
export const CENTRAL_DESK = 'central';

/**
 * How the district was found: named by the reporter, by the address, by the coordinates, none (central desk), or
 * forwarded by staff (the central desk, or an office it was wrongly sent to).
 */
export type RoutedBy = 'district-code' | 'address' | 'location' | 'central' | 'staff';

export interface GeoPoint {
  lat: number;
  long: number;
}

/** An attribute's answer: a list key or keys, a number, or text (a datetime is ISO text). */
export type AttributeValue = string | number | string[];

/** Who did something to a complaint. */
export interface Actor {
  kind: 'resident' | 'staff' | 'system';
  /** The staff member's subject (the token's sub); absent for residents and the system. */
  subject?: string;
}

/** One line of the audit history; every change to a complaint appends one. */
export interface HistoryEntry {
  at: string;
  by: Actor;
  action: 'filed' | 'transition' | 'note' | 'merged' | 'duplicate-merged' | 'photo' | 'sla-breach' | 'routed';
  from?: ComplaintStatus;
  to?: ComplaintStatus;
  /** The staff member's note (a transition's reason, an internal note): never shown to the public. */
  note?: string;
  /** The other complaint of a merge (its tracking code). */
  other?: string;
  /** Where staff forwarded it: the district it left and the one it went to. */
  fromDistrict?: string;
  toDistrict?: string;
}

export interface ComplaintPhoto {
  id: string;
  status: 'awaiting-upload' | 'ready' | 'rejected';
  requestedAt: string;
  checkedAt?: string;
  /** The type the bytes turned out to be (not what the upload declared). */
  contentType?: string;
  bytes?: number;
  width?: number;
  height?: number;
  /** Why it was refused (not an image, a type not accepted, too large). */
  reason?: string;
}

export interface Complaint {
  /** Random and unguessable: the reporter's handle for adding photos. Never listed publicly. */
  id: string;
  /** Short, public: what the reporter quotes and tracks by (Open311 service_request_id). */
  trackingCode: string;
  type: string;
  description: string;
  district: string;
  routedBy: RoutedBy;
  address?: string;
  location?: GeoPoint;
  accountNumber?: string;
  /** E.164. Told of assignment and resolution only with contactConsent. */
  phone?: string;
  contactConsent: boolean;
  /** The reporter's language: their SMS updates are in it. */
  language: string;
  attributes: Record<string, AttributeValue>;
  status: ComplaintStatus;
  /** Why it was rejected, as the resident is told. */
  rejectReason?: string;
  createdAt: string;
  updatedAt: string;
  /** createdAt plus the type's SLA hours: the expected resolution. */
  dueAt: string;
  /** When it was first found past dueAt while open (the office was told then). */
  slaBreachedAt?: string;
  resolvedAt?: string;
  /** The complaint this one duplicates (its tracking code), after staff merged it. */
  mergedInto?: string;
  /** Tracking codes of the complaints merged into this one. */
  duplicates: string[];
  /** Complaints that looked the same when it was filed (tracking codes), for staff. */
  possibleDuplicates: string[];
  photos: ComplaintPhoto[];
  history: HistoryEntry[];
  /** Where it came from: the native API, or Open311 with the partner key's id. */
  source: { channel: 'api' } | { channel: 'open311'; keyId: string };
  /** Raised by every write: a writer that read an older version loses (optimistic locking). */
  version: number;
}

const trimmed = (max: number) => z.string().trim().min(1).max(max);

/** POST /complaints: what a resident files. At least one of districtCode, address and location. */
export const complaintInputSchema = z
  .strictObject({
    type: z.string().min(1).max(40),
    description: trimmed(DESCRIPTION_MAX_LENGTH),
    districtCode: z.string().min(1).max(40).optional(),
    address: trimmed(ADDRESS_MAX_LENGTH).optional(),
    location: z
      .strictObject({ lat: z.number().min(-90).max(90), long: z.number().min(-180).max(180) })
      .optional(),
    accountNumber: z.string().min(1).max(40).optional(),
    phone: z.string().min(3).max(32).optional(),
    contactConsent: z.boolean().default(false),
    language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    attributes: z
      .record(
        z.string().min(1).max(40),
        z.union([z.string().max(DESCRIPTION_MAX_LENGTH), z.number(), z.array(z.string().max(40)).max(50)]),
      )
      .default({}),
    /** Files it even though complaints like it were found (the reporter saw them in the 409 answer). */
    confirmDuplicates: z.boolean().default(false),
  })
  .refine((input) => input.districtCode || input.address || input.location, {
    message: 'give a districtCode, an address or a location (lat, long)',
    path: ['location'],
  });

export type ComplaintInput = z.infer<typeof complaintInputSchema>;

/** The type's answers, checked and normalised; throws a ValidationError naming each bad field. */
export function checkAttributes(
  type: ComplaintTypeConfig,
  given: Record<string, AttributeValue>,
  field = 'body.attributes',
): Record<string, AttributeValue> {
  const problems: FieldProblem[] = [];
  const known = new Map(type.attributes.map((a) => [a.code, a]));
  for (const code of Object.keys(given)) {
    if (!known.has(code))
      problems.push({ field: `${field}.${code}`, message: `"${type.code}" has no field "${code}"` });
  }
  const checked: Record<string, AttributeValue> = {};
  for (const attribute of type.attributes) {
    const raw = given[attribute.code];
    const empty = raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0);
    if (empty) {
      if (attribute.required) problems.push({ field: `${field}.${attribute.code}`, message: 'required' });
      continue;
    }
    const result = checkValue(attribute, raw);
    if (typeof result === 'string' && result.startsWith('!')) {
      problems.push({ field: `${field}.${attribute.code}`, message: result.slice(1) });
    } else {
      checked[attribute.code] = result;
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `The answers for "${type.code}" are not valid.`,
      problems,
      'invalid-attributes',
    );
  }
  return checked;
}

/** The normalised value, or "!" and why it is refused. */
function checkValue(attribute: ComplaintAttributeConfig, raw: AttributeValue): AttributeValue {
  const keys = new Set((attribute.values ?? []).map((v) => v.key));
  const listOf = () => [...keys].join(', ');
  switch (attribute.datatype) {
    case 'singlevaluelist': {
      const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
      if (typeof value !== 'string' || !keys.has(value)) return `!one of: ${listOf()}`;
      return value;
    }
    case 'multivaluelist': {
      const values = Array.isArray(raw) ? raw : [String(raw)];
      const unknown = values.filter((v) => !keys.has(v));
      if (unknown.length > 0) return `!not in the list (${unknown.join(', ')}); one or more of: ${listOf()}`;
      return [...new Set(values)];
    }
    case 'number': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
      if (!Number.isFinite(value) || (typeof raw === 'string' && raw.trim() === '')) return '!a number';
      return value;
    }
    case 'datetime': {
      if (
        typeof raw !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)
      )
        return '!a date and time with its offset, such as 2026-12-01T09:30:00+09:00';
      if (Number.isNaN(Date.parse(raw))) return '!not a real date';
      return raw;
    }
    case 'string':
    case 'text': {
      if (typeof raw !== 'string') return '!text';
      const max = attribute.datatype === 'string' ? STRING_ATTRIBUTE_MAX_LENGTH : DESCRIPTION_MAX_LENGTH;
      const value = raw.trim();
      if (value.length > max) return `!at most ${max} characters`;
      return value;
    }
  }
}

/**
 * Whether strangers may see where a complaint is and what it says: its type is public and none of its answers is a
 * private list value. A public type can still be about a home (a leak indoors), and that home is not the world's.
 */
export function shownPublicly(complaint: Pick<Complaint, 'attributes'>, type: ComplaintTypeConfig): boolean {
  if (!type.public) return false;
  return type.attributes.every((attribute) => {
    const answer = complaint.attributes[attribute.code];
    if (answer === undefined) return true;
    const chosen = Array.isArray(answer) ? answer : [answer];
    return !(attribute.values ?? []).some((value) => value.private && chosen.includes(value.key));
  });
}

/** What anyone with the tracking code sees: never the reporter's contact data, nor a private complaint's place. */
export interface PublicComplaintView {
  trackingCode: string;
  type: string;
  typeName: string;
  status: ComplaintStatus;
  district: string;
  createdAt: string;
  expectedBy: string;
  /** Status changes with their dates (no staff notes, no names). */
  history: Array<{ at: string; status: ComplaintStatus }>;
  rejectReason?: string;
  mergedInto?: string;
  address?: string;
  location?: GeoPoint;
  /** Photos whose checked copies can be shown. */
  photos: number;
}

export function publicView(
  complaint: Complaint,
  type: ComplaintTypeConfig,
  typeName: string,
): PublicComplaintView {
  const shown = shownPublicly(complaint, type);
  const history = complaint.history.flatMap((entry) =>
    entry.action === 'filed'
      ? [{ at: entry.at, status: 'received' as const }]
      : entry.action === 'transition' && entry.to
        ? [{ at: entry.at, status: entry.to }]
        : [],
  );
  return {
    trackingCode: complaint.trackingCode,
    type: complaint.type,
    typeName,
    status: complaint.status,
    district: complaint.district,
    createdAt: complaint.createdAt,
    expectedBy: complaint.dueAt,
    history,
    // A private complaint's reason is about a household: its reporter has it by SMS.
    ...(shown && complaint.status === 'rejected' && complaint.rejectReason
      ? { rejectReason: complaint.rejectReason }
      : {}),
    ...(complaint.mergedInto ? { mergedInto: complaint.mergedInto } : {}),
    ...(shown && complaint.address ? { address: complaint.address } : {}),
    ...(shown && complaint.location ? { location: complaint.location } : {}),
    photos: complaint.photos.filter((p) => p.status === 'ready').length,
  };
}

/** Tracking codes: 8 characters of Crockford's base 32 (no I, L, O, U), read over the phone without confusion. */
const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** A tracking code from 8 random bytes (the caller draws them: the domain does no I/O). */
export function trackingCodeFrom(random: Uint8Array): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += TRACKING_ALPHABET[(random[i] ?? 0) % 32];
  return code;
}

/** A tracking code as typed (lower case, I/L for 1, O for 0, a dash) in its canonical form. */
export function normalizeTrackingCode(typed: string): string {
  return typed.toUpperCase().replace(/-/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}
