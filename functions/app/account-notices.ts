// Use case: a notice about one account's bill (a suspected leak, auto-pay's answer) to every active subscriber of it.
import { ValidationError } from '#domain/errors';
import {
  type AccountNoticeKind,
  isAccountNoticeKind,
  type NoticeRunKey,
  noticeKindSchema,
  noticeRunKeySchema,
  runName,
} from '#domain/notice';
import type { Subscription } from '#domain/subscription';
import type { Deps } from './ports.ts';

export interface AccountNoticeRequest {
  kind: AccountNoticeKind;
  /** The bill's period (YYYY-MM). */
  ref: string;
  accountNumber: string;
}

export interface AccountNoticeResult {
  /** `leak-check/2026-12`: the run its notices are counted in, one per kind and period. */
  runId: string;
  /** Notice jobs queued now, one per active subscription (a repeat queues them again; each is sent once). */
  queued: number;
}

type AccountNoticeDeps = Pick<Deps, 'config' | 'clock' | 'notices' | 'noticeQueues' | 'subscriptions'>;

/** Subscriptions read per page of an account's list (any status, so a few pages at most). */
const ACCOUNT_PAGE = 50;

/** The account's active subscriptions, every page of its list read. */
export async function activeSubscriptionsOf(
  deps: Pick<Deps, 'subscriptions'>,
  accountNumber: string,
): Promise<Subscription[]> {
  const active: Subscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.subscriptions.listByAccount(accountNumber, { limit: ACCOUNT_PAGE, cursor });
    active.push(...page.items.filter((s) => s.status === 'active' && !s.decoy));
    cursor = page.cursor;
  } while (cursor);
  return active;
}

/**
 * Queues the notice to each active subscription of the account. Every kind and period has one run (created by the
 * first notice), so the notices are counted and reported like a run's; each notice's id is that of (kind, period,
 * account, phone), so queuing it again (a retried import, a billing run fired twice) sends nothing twice. Quiet
 * hours and opt-outs are the sender's, as for every notice: a run it holds is planned again from the accounts
 * recorded here.
 */
export async function queueAccountNotice(
  deps: AccountNoticeDeps,
  request: AccountNoticeRequest,
): Promise<AccountNoticeResult> {
  const kind = noticeKindSchema.safeParse(request.kind);
  if (!kind.success || !isAccountNoticeKind(kind.data)) {
    throw new ValidationError('An account notice is a leak-check or an auto-pay-result.', [
      { field: 'kind', message: 'leak-check or auto-pay-result' },
    ]);
  }
  const parsed = noticeRunKeySchema.safeParse({ kind: kind.data, ref: request.ref });
  if (!parsed.success) {
    throw new ValidationError('The period is not YYYY-MM.', [
      { field: 'ref', message: 'a month as YYYY-MM' },
    ]);
  }
  const key: NoticeRunKey = parsed.data;
  const { run } = await deps.notices.startRun(
    { ...key, createdAt: deps.clock.now().toISOString(), shards: 1 },
    false,
  );
  const subscriptions = await activeSubscriptionsOf(deps, request.accountNumber);
  await deps.noticeQueues.send(
    subscriptions.map((s) => ({ run: key, accountNumber: request.accountNumber, subscriptionId: s.id })),
  );
  await deps.notices.recordAccountPlanned(key, {
    start: run.starts,
    accountNumber: request.accountNumber,
    notices: subscriptions.length,
  });
  return { runId: runName(key), queued: subscriptions.length };
}
