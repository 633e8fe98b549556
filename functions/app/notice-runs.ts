// Use cases: start a notice run, and plan it one page of one fan-out shard at a time through the planner queue.
import { createHash } from 'node:crypto';
import type { NoticePlanPage } from '#contracts/notice-plan';
import { announcementShard } from '#domain/announcement';
import { localDate } from '#domain/calendar';
import { ValidationError } from '#domain/errors';
import {
  isAccountNoticeKind,
  type NoticeKind,
  type NoticeRun,
  type NoticeRunKey,
  noticeKindSchema,
  runName,
} from '#domain/notice';
import { billingPeriodOfWindow, isPeriod, periodOfDate } from '#domain/period';
import { isQuiet, quietEnd } from '#domain/quiet-hours';
import type { Subscription } from '#domain/subscription';
import { activeSubscriptionsOf } from './account-notices.ts';
import type { Deps, Page } from './ports.ts';

export interface StartRunRequest {
  kind: NoticeKind;
  period: string;
  /** When the schedule meant it to fire; absent when started by hand. */
  scheduledAt?: Date;
  /**
   * Plan an existing run again (ops `notices run`, the end of quiet hours): every notice is queued again and the
   * ones already sent are recognised by their claim. Without it, a run that exists is left as it is, so a repeated
   * or late schedule firing is the same run.
   */
  restart?: boolean;
}

export interface StartRunResult {
  /** `bill/2026-12`. */
  runId: string;
  /** Whether this call (re)started planning; false when the run existed and was left alone. */
  started: boolean;
  run: NoticeRun;
  /** Started in the quiet hours: nothing is planned until they end (ISO 8601). */
  resumeAt?: string;
}

/** Creates (or, when asked, restarts) the run and queues the first page of every fan-out shard. */
export async function startNoticeRun(
  deps: Pick<Deps, 'config' | 'clock' | 'notices' | 'noticeQueues' | 'metrics'>,
  request: StartRunRequest,
): Promise<StartRunResult> {
  const kind = noticeKindSchema.safeParse(request.kind);
  if (!kind.success || kind.data !== 'bill')
    throw new ValidationError(
      'A run by period is a bill notice run (announcements are sent with POST /admin/announcements).',
      [{ field: 'kind', message: 'bill' }],
    );
  if (!isPeriod(request.period))
    throw new ValidationError('The period is not YYYY-MM.', [
      { field: 'period', message: 'a month as YYYY-MM' },
    ]);
  const today = localDate(deps.clock.now(), deps.config.timeZone);
  if (request.period > periodOfDate(today)) {
    // A bill notice tells of a bill already issued: a later period has none yet.
    throw new ValidationError(`The period ${request.period} has not begun in ${deps.config.timeZone}.`, [
      { field: 'period', message: `at most ${periodOfDate(today)}` },
    ]);
  }
  const key: NoticeRunKey = { kind: kind.data, ref: request.period };
  return beginRun(deps, key, deps.config.subscriptions.fanOutShards, request);
}

type RunDeps = Pick<Deps, 'config' | 'clock' | 'notices' | 'noticeQueues' | 'metrics'>;

/**
 * Creates (or restarts) a run of `shards` fan-out shards and queues each shard's first page; within the quiet hours
 * it is held, and planned when they end. A run that exists is left alone unless restarted.
 */
export async function beginRun(
  deps: RunDeps,
  key: NoticeRunKey,
  shards: number,
  options: { scheduledAt?: Date; restart?: boolean },
): Promise<StartRunResult> {
  const { run, started } = await deps.notices.startRun(
    {
      ...key,
      createdAt: deps.clock.now().toISOString(),
      scheduledAt: options.scheduledAt?.toISOString(),
      shards,
    },
    options.restart ?? false,
  );
  if (!started) return { runId: runName(key), started, run };
  deps.metrics.count('NoticeRunStarted', { kind: key.kind });
  const now = deps.clock.now();
  const { quietHours } = deps.config.notices;
  if (isQuiet(now, deps.config.timeZone, quietHours)) {
    const resumeAt = quietEnd(now, deps.config.timeZone, quietHours).toISOString();
    await deps.notices.holdRun(key, resumeAt);
    return { runId: runName(key), started, run: { ...run, status: 'waiting', resumeAt }, resumeAt };
  }
  for (let shard = 0; shard < run.shards; shard++) {
    await deps.noticeQueues.plan({ run: key, start: run.starts, shard });
  }
  return { runId: runName(key), started, run };
}

/**
 * At the end of the quiet hours (its schedule): plans every held run again. Each notice it sent before the quiet
 * hours began is recognised by its claim; the others go out now, in the order the planner reads them.
 */
export async function resumeHeldRuns(
  deps: Pick<Deps, 'config' | 'clock' | 'notices' | 'noticeQueues' | 'metrics'>,
): Promise<StartRunResult[]> {
  if (isQuiet(deps.clock.now(), deps.config.timeZone, deps.config.notices.quietHours)) return [];
  const resumed: StartRunResult[] = [];
  for (const key of await deps.notices.heldRuns()) {
    // Planned again over the shards it was started with (an announcement's: its districts x fan-out shards).
    const run = await deps.notices.getRun(key);
    if (run) resumed.push(await beginRun(deps, key, run.shards, { restart: true }));
    await deps.notices.unholdRun(key);
  }
  return resumed;
}

/**
 * One page of a run's recipients: a bill's (and its due reminder's) from the notice index of its period, a reading
 * window's from that of the bill the window feeds, an announcement's from its districts' index, an account
 * notice's from the accounts it was queued for.
 */
async function recipientsOf(
  deps: Pick<Deps, 'config' | 'subscriptions' | 'announcements' | 'notices'>,
  page: NoticePlanPage,
): Promise<Page<Pick<Subscription, 'id' | 'accountNumber'>> | undefined> {
  const request = { limit: deps.config.notices.planPageSize, cursor: page.cursor };
  if (page.run.kind === 'bill' || page.run.kind === 'due-reminder')
    return deps.subscriptions.listForNoticeMonth(page.run.ref, page.shard, request);
  if (page.run.kind === 'reading-window')
    return deps.subscriptions.listForNoticeMonth(billingPeriodOfWindow(page.run.ref), page.shard, request);
  if (isAccountNoticeKind(page.run.kind)) {
    const accounts = await deps.notices.runAccounts(page.run, request);
    const subscriptions = await Promise.all(accounts.items.map((n) => activeSubscriptionsOf(deps, n)));
    return { items: subscriptions.flat(), cursor: accounts.cursor };
  }
  const announcement = await deps.announcements.get(page.run.ref);
  if (!announcement) return undefined;
  const place = announcementShard(announcement, page.shard, deps.config.subscriptions.fanOutShards);
  if (!place) return undefined;
  return deps.subscriptions.listForDistrict(place.district, place.shard, request);
}

export type PlanOutcome = { queued: number; next: boolean } | 'superseded' | 'unknown-run';

/**
 * Reads one page of one shard's recipients, queues a notice for each (ten to a batch), queues the shard's next
 * page, then counts the page. A redelivered page queues its notices again, which their senders recognise; it is
 * counted once. A page of an earlier start of the run is dropped: the latest start reads every shard anew.
 */
export async function planNoticePage(
  deps: Pick<Deps, 'config' | 'notices' | 'noticeQueues' | 'subscriptions' | 'announcements'>,
  page: NoticePlanPage,
): Promise<PlanOutcome> {
  const run = await deps.notices.getRun(page.run);
  if (!run) return 'unknown-run';
  if (run.starts !== page.start) return 'superseded';
  const recipients = await recipientsOf(deps, page);
  if (!recipients) return 'unknown-run';
  await deps.noticeQueues.send(
    recipients.items.map((s) => ({ run: page.run, accountNumber: s.accountNumber, subscriptionId: s.id })),
  );
  if (recipients.cursor) await deps.noticeQueues.plan({ ...page, cursor: recipients.cursor });
  await deps.notices.recordPlannedPage(page.run, {
    start: page.start,
    shard: page.shard,
    pageKey: createHash('sha256')
      .update(page.cursor ?? '')
      .digest('base64url')
      .slice(0, 22),
    // An account notice's were counted when it was queued: planning its run again only requeues them.
    notices: isAccountNoticeKind(page.run.kind) ? 0 : recipients.items.length,
    last: !recipients.cursor,
  });
  return { queued: recipients.items.length, next: recipients.cursor !== undefined };
}
