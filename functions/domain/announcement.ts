// Announcements: staff's message to the subscribers of some districts, as requested and as stored.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ANNOUNCEMENT_ID_PATTERN } from './notice.ts';
import { ANNOUNCEMENT_KINDS } from './notice-text-announcement.ts';

/** The longest text staff may write in one language: more than any SMS/LMS takes, so the size check speaks first. */
export const ANNOUNCEMENT_TEXT_MAX = 2000;

/** How far ahead an announcement may be scheduled. */
export const ANNOUNCEMENT_MAX_DAYS_AHEAD = 90;

/** How far back the public list of announcements (GET /announcements) reaches, and how many it shows at most. */
export const PUBLIC_ANNOUNCEMENT_DAYS = 14;
export const PUBLIC_ANNOUNCEMENT_MAX = 20;

/** A request's `sendAt` this little in the past still means "now" (a clock a little behind, a slow form). */
export const SEND_AT_GRACE_MS = 60_000;

/**
 * Each district keeps a copy for its public list, stored with the announcement in one transaction, which takes at
 * most 100 items: the announcement and 99 copies.
 */
export const ANNOUNCEMENT_MAX_DISTRICTS = 99;

export const announcementRequestSchema = z.strictObject({
  districts: z.array(z.string().min(1).max(64)).min(1).max(ANNOUNCEMENT_MAX_DISTRICTS),
  kind: z.enum(ANNOUNCEMENT_KINDS),
  /** By language (ko, ru, en): one for every language the utility writes in. */
  texts: z.record(z.string().regex(/^[a-z]{2}$/), z.string().max(ANNOUNCEMENT_TEXT_MAX)),
  /** When it goes out; absent: now. Within the quiet hours it goes at their end. */
  sendAt: z.iso.datetime({ offset: true }).optional(),
});
export type AnnouncementRequest = z.infer<typeof announcementRequestSchema>;

export const announcementSchema = z.strictObject({
  id: z.string().regex(ANNOUNCEMENT_ID_PATTERN),
  kind: z.enum(ANNOUNCEMENT_KINDS),
  districts: z.array(z.string().min(1)).min(1),
  texts: z.record(z.string(), z.string()),
  /** When it was asked to go out (its creation time when sent at once). */
  sendAt: z.iso.datetime({ offset: true }),
  createdAt: z.iso.datetime({ offset: true }),
  /** The staff member's subject (the user pool's `sub`). */
  createdBy: z.string().min(1),
  /** A digest of the request, to tell a retry (same key, same request) from a different one under the same key. */
  requestDigest: z.string().min(1),
});
export type Announcement = z.infer<typeof announcementSchema>;

/** The digest of what was asked: districts as a set, texts by language, the kind and the time. */
export function requestDigest(request: AnnouncementRequest, sendAt: string): string {
  const canonical = JSON.stringify([
    request.kind,
    [...new Set(request.districts)].sort(),
    Object.entries(request.texts).sort(([a], [b]) => a.localeCompare(b)),
    sendAt,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The id of a new announcement: random, or, when staff sent an `Idempotency-Key`, derived from it and the staff
 * member, so a form submitted twice makes one announcement (and one send to every subscriber of its districts).
 */
export function announcementId(idempotency?: { subject: string; key: string }): string {
  const bytes = idempotency
    ? createHash('sha256').update(`${idempotency.subject}\n${idempotency.key}`).digest().subarray(0, 16)
    : randomBytes(16);
  return bytes.toString('base64url');
}

/**
 * A fan-out shard of an announcement's run: the run reads every shard of each district's index, numbered
 * district by district.
 */
export function announcementShard(
  announcement: Pick<Announcement, 'districts'>,
  runShard: number,
  shardsPerDistrict: number,
): { district: string; shard: number } | undefined {
  const district = announcement.districts[Math.floor(runShard / shardsPerDistrict)];
  return district === undefined ? undefined : { district, shard: runShard % shardsPerDistrict };
}
