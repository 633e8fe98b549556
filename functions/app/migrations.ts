// Use cases for operators upgrading a deployment's data: existing subscriptions brought under this version's rules.
import { fanOutShard, type Subscription } from '#domain/subscription';
import type { Deps } from './ports.ts';
import { type EndedReason, endIfUnregistered } from './unregistered-phones.ts';

export interface SubscriptionMigrationCounts {
  /** Subscriptions read. */
  examined: number;
  /** Subscriptions ended (or, in a dry run, that would be), by reason. */
  ended: Record<EndedReason, number>;
  /** Account pointers replaced by the current form (or that would be). */
  pointersRewritten: number;
  /** Active subscriptions put on their account's district list for announcements (or that would be). */
  districtsIndexed: number;
  /** Subscriptions that needed nothing. */
  alreadyFine: number;
  /** Subscriptions that kept changing while being ended: a later run takes them up again. */
  busy: number;
}

/** Where the walk has got to; reported after each page. */
export interface SubscriptionMigrationProgress extends SubscriptionMigrationCounts {
  pages: number;
}

export interface SubscriptionMigrationReport extends SubscriptionMigrationCounts {
  dryRun: boolean;
  /** The ids of the busy subscriptions. */
  busyIds: string[];
}

export interface SubscriptionMigrationOptions {
  /** Read everything and count what would change, but write nothing. */
  dryRun?: boolean;
  pageSize?: number;
  /** Subscriptions of a page migrated at the same time. */
  concurrency?: number;
  onPage?: (progress: SubscriptionMigrationProgress) => void;
}

/** The counts before the first subscription is read. */
export const noMigrationCounts = (): SubscriptionMigrationCounts => ({
  examined: 0,
  ended: { 'unregistered-phone': 0 },
  pointersRewritten: 0,
  districtsIndexed: 0,
  alreadyFine: 0,
  busy: 0,
});

type MigrationDeps = Pick<Deps, 'config' | 'subscriptions' | 'accounts' | 'clock'>;

const PAGE_SIZE = 100;
const CONCURRENCY = 8;

/**
 * Brings every subscription of a deployment made before phones were checked at sign-up under the rules: those of
 * unregistered phones that the holder did not add end (reason unregistered-phone), which frees their places on the
 * account and takes them out of the notice run; and every account pointer of the old form is replaced by the
 * current one, so the account's list pages newest first; and every active subscription confirmed before districts
 * were indexed is put on its account's district list, so announcements reach it. Re-running it changes nothing.
 */
export async function migrateSubscriptions(
  deps: MigrationDeps,
  options: SubscriptionMigrationOptions = {},
): Promise<SubscriptionMigrationReport> {
  const dryRun = options.dryRun ?? false;
  const progress: SubscriptionMigrationProgress = { pages: 0, ...noMigrationCounts() };
  const busyIds: string[] = [];

  const migrate = async (found: Subscription) => {
    progress.examined += 1;
    const outcome = await endIfUnregistered(deps, found, dryRun);
    if (outcome === 'gone') {
      progress.alreadyFine += 1;
      return;
    }
    if (outcome === 'busy') {
      progress.busy += 1;
      busyIds.push(found.id);
      return;
    }
    if ('ended' in outcome) progress.ended[outcome.ended] += 1;
    const current = 'ended' in outcome ? outcome.subscription : outcome.fine;
    const rewritten = dryRun
      ? await deps.subscriptions.hasOldAccountPointer(current)
      : await deps.subscriptions.upgradeAccountPointer(current);
    if (rewritten) progress.pointersRewritten += 1;
    const indexed = await indexDistrict(deps, current, dryRun);
    if (indexed) progress.districtsIndexed += 1;
    if (!rewritten && !indexed && !('ended' in outcome)) progress.alreadyFine += 1;
  };

  const concurrency = options.concurrency ?? CONCURRENCY;
  let cursor: string | undefined;
  do {
    const page = await deps.subscriptions.scanAll({
      limit: options.pageSize ?? PAGE_SIZE,
      cursor,
    });
    for (let i = 0; i < page.items.length; i += concurrency) {
      await Promise.all(page.items.slice(i, i + concurrency).map(migrate));
    }
    cursor = page.cursor;
    progress.pages += 1;
    options.onPage?.({ ...progress, ended: { ...progress.ended } });
  } while (cursor);

  const { pages: _pages, ...counts } = progress;
  return { dryRun, ...counts, busyIds };
}

/** An active subscription without a district gets its account's, on the district index (or would, in a dry run). */
async function indexDistrict(
  deps: MigrationDeps,
  subscription: Subscription,
  dryRun: boolean,
): Promise<boolean> {
  if (subscription.status !== 'active' || subscription.district || subscription.decoy) return false;
  const account = await deps.accounts.get(subscription.accountNumber);
  if (!account) return false;
  if (dryRun) return true;
  const shard = fanOutShard(subscription.id, deps.config.subscriptions.fanOutShards);
  return deps.subscriptions.indexDistrict(subscription, account.district, shard);
}
