// Use cases: the billing cycle's runs over every subscriber: the reading window opens, and a due date is near.
import { localDate } from '#domain/calendar';
import { NotFoundError, ValidationError } from '#domain/errors';
import { isAccountNoticeKind, type NoticeKind, noticeKindSchema, runName } from '#domain/notice';
import { isPeriod, periodOfDate } from '#domain/period';
import { beginRun, type StartRunResult, startNoticeRun } from './notice-runs.ts';
import type { Deps } from './ports.ts';

export const CYCLE_RUN_KINDS = ['reading-window', 'due-reminder'] as const;
export type CycleRunKind = (typeof CYCLE_RUN_KINDS)[number];

export interface CycleRunRequest {
  kind: CycleRunKind;
  /** reading-window: the month whose window opens; due-reminder: the period of the bills falling due. */
  ref: string;
  scheduledAt?: Date;
  /** Plan an existing run again (ops `notices run`): notices already sent are recognised by their claim. */
  restart?: boolean;
}

type RunDeps = Pick<Deps, 'config' | 'clock' | 'notices' | 'noticeQueues' | 'metrics'>;

/**
 * Starts (or, when asked, restarts) a reading-window or due-reminder run over every fan-out shard, as a bill
 * notice run is started: the same run however often it is fired, held through the quiet hours. Who is skipped is
 * decided per notice at send time (a utility-read meter, a bill paid since).
 */
export async function startCycleNoticeRun(deps: RunDeps, request: CycleRunRequest): Promise<StartRunResult> {
  if (!(CYCLE_RUN_KINDS as readonly string[]).includes(request.kind)) {
    throw new ValidationError('A cycle notice run is a reading-window or a due-reminder run.', [
      { field: 'kind', message: CYCLE_RUN_KINDS.join(' or ') },
    ]);
  }
  if (!isPeriod(request.ref)) {
    throw new ValidationError('The period is not YYYY-MM.', [
      { field: 'period', message: 'a month as YYYY-MM' },
    ]);
  }
  const current = periodOfDate(localDate(deps.clock.now(), deps.config.timeZone));
  if (request.ref > current) {
    // A window not open yet, or bills not issued yet: nothing to remind of.
    throw new ValidationError(`The period ${request.ref} has not begun in ${deps.config.timeZone}.`, [
      { field: 'period', message: `at most ${current}` },
    ]);
  }
  return beginRun(
    deps,
    { kind: request.kind, ref: request.ref },
    deps.config.subscriptions.fanOutShards,
    request,
  );
}

/**
 * Starts or plans again a run of any kind named by a period, by hand (ops `notices run`, the local runtime's tool):
 * a bill or cycle run as its schedule would, an account notice run (leak-check, auto-pay-result) over the accounts
 * it was queued for. Announcements are started with POST /admin/announcements.
 */
export async function startRunByHand(
  deps: RunDeps,
  request: { kind: string; period: string; restart?: boolean },
): Promise<StartRunResult> {
  const kind = noticeKindSchema.safeParse(request.kind);
  if (!kind.success || kind.data === 'announcement') {
    throw new ValidationError('The kind is not a notice run by period.', [
      { field: 'kind', message: RUN_KINDS_BY_PERIOD.join(', ') },
    ]);
  }
  const restart = request.restart ?? true;
  if (kind.data === 'bill') return startNoticeRun(deps, { kind: 'bill', period: request.period, restart });
  if (!isAccountNoticeKind(kind.data))
    return startCycleNoticeRun(deps, { kind: kind.data, ref: request.period, restart });
  const key = { kind: kind.data, ref: request.period };
  const run = isPeriod(request.period) ? await deps.notices.getRun(key) : undefined;
  if (!run) throw new NotFoundError('notice-run-not-found', `There is no notice run ${runName(key)}.`);
  return beginRun(deps, key, run.shards, { restart });
}

/** Every kind of run named by a period, as the ops CLI offers them. */
export const RUN_KINDS_BY_PERIOD: ReadonlyArray<Exclude<NoticeKind, 'announcement'>> = [
  'bill',
  'reading-window',
  'due-reminder',
  'leak-check',
  'auto-pay-result',
];
