// Use case: the active subscriptions that receive a given month's bill notice, one fan-out shard a page.
import { ValidationError } from '#domain/errors';
import { isPeriod } from '#domain/period';
import type { Subscription } from '#domain/subscription';
import type { Deps, Page } from './ports.ts';

export async function noticeRecipients(
  deps: Pick<Deps, 'config' | 'subscriptions'>,
  request: { month: string; shard: number; limit?: number; cursor?: string },
): Promise<Page<Subscription>> {
  if (!isPeriod(request.month)) {
    throw new ValidationError('The month is not YYYY-MM.', [
      { field: 'month', message: 'a month as YYYY-MM' },
    ]);
  }
  const shards = deps.config.subscriptions.fanOutShards;
  if (!Number.isInteger(request.shard) || request.shard < 0 || request.shard >= shards) {
    throw new ValidationError(`The shard must be 0 to ${shards - 1}.`, [
      { field: 'shard', message: 'out of range' },
    ]);
  }
  return deps.subscriptions.listForNoticeMonth(request.month, request.shard, {
    limit: request.limit ?? 100,
    ...(request.cursor ? { cursor: request.cursor } : {}),
  });
}
