// Use cases: staff announce to the subscribers of some districts, now or at a set time, and follow its progress.
import {
  ANNOUNCEMENT_MAX_DAYS_AHEAD,
  type Announcement,
  type AnnouncementRequest,
  announcementId,
  requestDigest,
  SEND_AT_GRACE_MS,
} from '#domain/announcement';
import { localDay } from '#domain/calendar';
import {
  AppError,
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
} from '#domain/errors';
import { ANNOUNCEMENT_ID_PATTERN, type NoticeRunKey } from '#domain/notice';
import { canSeeDistrict, type StaffPrincipal } from '#domain/staff';
import { announcementTextProblems } from './announcement-texts.ts';
import { type NoticeRunReport, reportOfRun } from './notice-report.ts';
import { beginRun, type StartRunResult } from './notice-runs.ts';
import type { Deps, PageRequest } from './ports.ts';

type AnnounceDeps = Pick<
  Deps,
  | 'config'
  | 'clock'
  | 'notices'
  | 'noticeQueues'
  | 'metrics'
  | 'announcements'
  | 'announcementTimer'
  | 'counters'
>;

/**
 * scheduled: waiting for its send time; then the run's status: planning, planned (every notice queued or sent),
 * waiting (held by the quiet hours).
 */
export type AnnouncementStatus = 'scheduled' | 'planning' | 'planned' | 'waiting';

export interface AnnouncementView extends Omit<Announcement, 'requestDigest'> {
  status: AnnouncementStatus;
  /** The run's counts and cost, once it has started. */
  progress: Omit<NoticeRunReport, 'run' | 'status'> | null;
}

export interface Announced {
  announcement: AnnouncementView;
  /** False when an earlier request with the same Idempotency-Key made it. */
  created: boolean;
}

const unprocessable = (type: string, message: string, problems: FieldProblem[]) =>
  new AppError('unprocessable', type, message, { errors: problems });

/**
 * Checks and stores an announcement, then starts its run (now, or by a one-time timer at `sendAt`). A request
 * repeated with the same Idempotency-Key is the same announcement, sent once; the same key with another request is a
 * conflict. Nothing is stored for a request that cannot be sent as written.
 */
export async function createAnnouncement(
  deps: AnnounceDeps,
  staff: StaffPrincipal,
  request: AnnouncementRequest,
  idempotencyKey?: string,
): Promise<Announced> {
  const { config } = deps;
  const now = deps.clock.now();
  const districts = [...new Set(request.districts)];
  const known = new Set(config.districts.map((d) => d.code));
  const unknown = districts.filter((d) => !known.has(d));
  if (unknown.length > 0) {
    throw unprocessable(
      'unknown-district',
      `No district ${unknown.map((d) => `"${d}"`).join(', ')}; the districts are ${[...known].join(', ')}.`,
      unknown.map((d) => ({
        field: `body.districts.${request.districts.indexOf(d)}`,
        message: 'unknown district',
      })),
    );
  }
  const foreign = districts.filter((d) => !canSeeDistrict(staff, d));
  if (foreign.length > 0) {
    throw new ForbiddenError(
      'announcement-forbidden',
      `Your account may announce to ${staff.districts.join(', ') || 'no district'} only, not ${foreign.join(', ')}.`,
    );
  }
  const problems = announcementTextProblems(config, request);
  if (problems.length > 0) {
    throw unprocessable('announcement-text-invalid', 'The announcement cannot be sent as written.', problems);
  }
  const sendAt = request.sendAt ? new Date(request.sendAt) : now;
  if (sendAt.getTime() < now.getTime() - SEND_AT_GRACE_MS) {
    throw unprocessable('send-at-in-past', `sendAt ${request.sendAt} has passed; leave it out to send now.`, [
      { field: 'body.sendAt', message: `after ${now.toISOString()}` },
    ]);
  }
  if (sendAt.getTime() > now.getTime() + ANNOUNCEMENT_MAX_DAYS_AHEAD * 86_400_000) {
    throw unprocessable(
      'send-at-too-far',
      `An announcement is scheduled at most ${ANNOUNCEMENT_MAX_DAYS_AHEAD} days ahead.`,
      [{ field: 'body.sendAt', message: `within ${ANNOUNCEMENT_MAX_DAYS_AHEAD} days` }],
    );
  }
  const sendAtText = (sendAt.getTime() < now.getTime() ? now : sendAt).toISOString();
  const normalized: AnnouncementRequest = { ...request, districts };
  const digest = requestDigest(normalized, request.sendAt ? sendAtText : 'now');
  const id = announcementId(idempotencyKey ? { subject: staff.subject, key: idempotencyKey } : undefined);
  // A retried request is the same announcement: it is not counted again.
  if (!idempotencyKey || !(await deps.announcements.get(id))) await countAnnouncement(deps, now);
  const { announcement, created } = await deps.announcements.create({
    id,
    kind: request.kind,
    districts,
    texts: request.texts,
    sendAt: sendAtText,
    createdAt: now.toISOString(),
    createdBy: staff.subject,
    requestDigest: digest,
  });
  if (!created && announcement.requestDigest !== digest) {
    throw new ConflictError(
      'idempotency-key-reused',
      'This Idempotency-Key was used for another announcement; use a new key for a new announcement.',
    );
  }
  if (created) deps.metrics.count('AnnouncementCreated', { kind: announcement.kind });
  // Repeated on a retried request too: a request that failed after storing it still starts (or times) it once.
  if (new Date(announcement.sendAt).getTime() <= now.getTime())
    await startAnnouncementRun(deps, announcement);
  else await deps.announcementTimer.at(announcement.id, new Date(announcement.sendAt));
  return { announcement: await viewOf(deps, announcement), created };
}

/** Counts a new announcement against the utility's daily allowance; 429 once it is used up. */
async function countAnnouncement(deps: Pick<Deps, 'config' | 'counters'>, now: Date): Promise<void> {
  const { config } = deps;
  const day = localDay(now, config.timeZone);
  const max = config.limits.announcementsPerDay;
  const counted = await deps.counters.increment(
    { scope: 'announcements-day', id: config.id, window: day.date },
    max,
    day.endsAt + 60_000,
  );
  if (counted === undefined) {
    throw new RateLimitedError(
      'announcement-daily-limit',
      `The utility's ${max} announcements of today (${day.date}) have been made; the next can be made tomorrow.`,
      Math.max(1, Math.ceil((day.endsAt - now.getTime()) / 1000)),
    );
  }
}

/** Starts (once) the run of an announcement whose time has come: its timer's message, or its creation. */
export async function startAnnouncementRun(
  deps: Omit<AnnounceDeps, 'announcementTimer'>,
  announcement: Announcement | string,
): Promise<StartRunResult | 'unknown-announcement'> {
  const found = typeof announcement === 'string' ? await deps.announcements.get(announcement) : announcement;
  if (!found) return 'unknown-announcement';
  const shards = found.districts.length * deps.config.subscriptions.fanOutShards;
  return beginRun(deps, runOf(found.id), shards, { scheduledAt: new Date(found.sendAt) });
}

/** An announcement and how far its sending has got; a district clerk sees only those within their districts. */
export async function getAnnouncement(
  deps: Pick<Deps, 'config' | 'notices' | 'announcements'>,
  staff: StaffPrincipal,
  id: string,
): Promise<AnnouncementView> {
  const announcement = ANNOUNCEMENT_ID_PATTERN.test(id) ? await deps.announcements.get(id) : undefined;
  // Another district's announcement is as absent to a clerk as one that does not exist.
  if (!announcement?.districts.every((d) => canSeeDistrict(staff, d))) {
    throw new NotFoundError('announcement-not-found', `There is no announcement ${id}.`);
  }
  return viewOf(deps, announcement);
}

export const ANNOUNCEMENT_PAGE_DEFAULT = 20;
export const ANNOUNCEMENT_PAGE_MAX = 50;

/**
 * Announcements, latest send time first (those still scheduled lead), each with its progress, a page at a time. A
 * district clerk sees only those within their districts, so their page may hold fewer than `limit`.
 */
export async function listAnnouncements(
  deps: Pick<Deps, 'config' | 'notices' | 'announcements'>,
  staff: StaffPrincipal,
  page: PageRequest,
): Promise<{ items: AnnouncementView[]; nextCursor?: string }> {
  const found = await deps.announcements.list(page);
  const visible = found.items.filter((a) => a.districts.every((d) => canSeeDistrict(staff, d)));
  const items = await Promise.all(visible.map((a) => viewOf(deps, a)));
  return { items, ...(found.cursor ? { nextCursor: found.cursor } : {}) };
}

const runOf = (id: string): NoticeRunKey => ({ kind: 'announcement', ref: id });

async function viewOf(
  deps: Pick<Deps, 'config' | 'notices'>,
  announcement: Announcement,
): Promise<AnnouncementView> {
  const { requestDigest: _digest, ...shown } = announcement;
  const run = await deps.notices.getRun(runOf(announcement.id));
  if (!run) return { ...shown, status: 'scheduled', progress: null };
  const { run: _name, status, ...progress } = await reportOfRun(deps, runOf(announcement.id), run);
  return { ...shown, status, progress };
}
