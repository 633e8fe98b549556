// Use case: what a notice run did, by channel and outcome, and what the carrier will charge for it.
import { NotFoundError, ValidationError } from '#domain/errors';
import {
  type NoticeChannel,
  type NoticeRun,
  type NoticeRunCounts,
  type NoticeRunKey,
  noticeRunKeySchema,
  runName,
} from '#domain/notice';
import type { Deps } from './ports.ts';

export interface NoticeRunReport {
  run: string;
  status: NoticeRun['status'];
  createdAt: string;
  scheduledAt?: string;
  starts: number;
  shards: { total: number; planned: number };
  counts: NoticeRunCounts;
  /** Planned notices not yet recorded (queued, being sent, or waiting for a retry). */
  pending: number;
  /** The carrier's charges at the configured list prices, in the utility's currency (major units). */
  estimatedCost: { currency: string; sms: number; lms: number; messenger: number; total: number };
  /**
   * By channel: the notices sent and what the carriers reported of them (counts.delivered and counts.failed,
   * summed); awaiting: sent with no final report yet (reports take up to 72 hours; the messenger sends none yet).
   */
  delivery: Record<NoticeChannel, ChannelDelivery>;
}

export interface ChannelDelivery {
  sent: number;
  delivered: number;
  failed: number;
  awaiting: number;
}

function channelDelivery(counts: NoticeRunCounts, channel: NoticeChannel): ChannelDelivery {
  const sent = counts.byChannel[channel];
  const delivered = counts.delivered[channel];
  const failed = Object.values(counts.failed[channel]).reduce((total, n) => total + (n ?? 0), 0);
  return { sent, delivered, failed, awaiting: Math.max(0, sent - delivered - failed) };
}

export async function noticeRunReport(
  deps: Pick<Deps, 'config' | 'notices'>,
  request: { kind: string; period: string },
): Promise<NoticeRunReport> {
  const parsed = noticeRunKeySchema.safeParse({ kind: request.kind, ref: request.period });
  if (!parsed.success) {
    throw new ValidationError(
      'The run is named by a notice kind and a period (YYYY-MM).',
      parsed.error.issues.map((issue) => ({
        field: issue.path[0] === 'ref' ? 'period' : String(issue.path[0] ?? 'run'),
        message: issue.message,
      })),
    );
  }
  const key: NoticeRunKey = parsed.data;
  const run = await deps.notices.getRun(key);
  if (!run) throw new NotFoundError('notice-run-not-found', `There is no notice run ${runName(key)}.`);
  return reportOfRun(deps, key, run);
}

/** The report of a run that exists. */
export async function reportOfRun(
  deps: Pick<Deps, 'config' | 'notices'>,
  key: NoticeRunKey,
  run: NoticeRun,
): Promise<NoticeRunReport> {
  const counts = await deps.notices.counts(key);
  const prices = deps.config.notices.prices;
  const round = (amount: number) => Math.round(amount * 100) / 100;
  const sms = round(counts.smsParts * prices.smsPart);
  const lms = round(counts.lmsMessages * (prices.lms ?? 0));
  const messenger = round(counts.byChannel.messenger * (prices.messenger ?? 0));
  const recorded = counts.sent + Object.values(counts.skipped).reduce((total, n) => total + (n ?? 0), 0);
  return {
    run: runName(key),
    status: run.status,
    createdAt: run.createdAt,
    scheduledAt: run.scheduledAt,
    starts: run.starts,
    shards: { total: run.shards, planned: run.shardsPlanned.length },
    counts,
    pending: Math.max(0, counts.planned - recorded),
    estimatedCost: {
      currency: deps.config.currency,
      sms,
      lms,
      messenger,
      total: round(sms + lms + messenger),
    },
    delivery: { messenger: channelDelivery(counts, 'messenger'), sms: channelDelivery(counts, 'sms') },
  };
}
