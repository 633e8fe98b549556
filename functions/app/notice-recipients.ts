// Use cases: the active subscriptions that receive a given month's bill notice, one fan-out shard a page, or all of them.
import { ValidationError } from '#domain/errors';
import { isPeriod } from '#domain/period';
import type { Subscription } from '#domain/subscription';
import type { Deps, Page } from './ports.ts';

/** Where a read of every shard has got to; reported after each page. */
export interface RecipientsProgress {
  shards: number;
  /** Shards read to their last page. */
  shardsDone: number;
  /** Pages read so far, over all shards. */
  pages: number;
  /** Recipients read so far, over all shards. */
  recipients: number;
}

export interface AllRecipients {
  /** Shard by shard from shard 0, each shard in the index's order. */
  recipients: Subscription[];
  /** How many recipients each shard holds, by shard number. */
  perShard: number[];
}

const ALL_PAGE_SIZE = 500;

function checkMonth(month: string): void {
  if (!isPeriod(month)) {
    throw new ValidationError('The month is not YYYY-MM.', [
      { field: 'month', message: 'a month as YYYY-MM' },
    ]);
  }
}

export async function noticeRecipients(
  deps: Pick<Deps, 'config' | 'subscriptions'>,
  request: { month: string; shard: number; limit?: number; cursor?: string },
): Promise<Page<Subscription>> {
  checkMonth(request.month);
  const shards = deps.config.subscriptions.fanOutShards;
  if (!Number.isInteger(request.shard) || request.shard < 0 || request.shard >= shards) {
    throw new ValidationError(`The shard must be 0 to ${shards - 1}.`, [
      { field: 'shard', message: 'out of range' },
    ]);
  }
  return deps.subscriptions.listForNoticeMonth(request.month, request.shard, {
    limit: request.limit ?? 100,
    cursor: request.cursor,
  });
}

/** Every recipient of a month's notice: all shards at once, each read page by page to its end (no scan). */
export async function allNoticeRecipients(
  deps: Pick<Deps, 'config' | 'subscriptions'>,
  month: string,
  options: { pageSize?: number; onPage?: (progress: RecipientsProgress) => void } = {},
): Promise<AllRecipients> {
  checkMonth(month);
  const progress: RecipientsProgress = {
    shards: deps.config.subscriptions.fanOutShards,
    shardsDone: 0,
    pages: 0,
    recipients: 0,
  };
  const readShard = async (shard: number) => {
    const found: Subscription[] = [];
    let cursor: string | undefined;
    do {
      const page = await noticeRecipients(deps, {
        month,
        shard,
        limit: options.pageSize ?? ALL_PAGE_SIZE,
        cursor,
      });
      found.push(...page.items);
      cursor = page.cursor;
      progress.pages += 1;
      progress.recipients += page.items.length;
      if (!cursor) progress.shardsDone += 1;
      options.onPage?.({ ...progress });
    } while (cursor);
    return found;
  };
  const perShard = await Promise.all(Array.from({ length: progress.shards }, (_, shard) => readShard(shard)));
  return { recipients: perShard.flat(), perShard: perShard.map((found) => found.length) };
}
