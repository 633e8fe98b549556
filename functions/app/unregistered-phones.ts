// Use case rule: an account's bill reaches only phones its holder chose; a phone's own sign-up ends when it leaves.
import type { Subscription } from '#domain/subscription';
import type { Deps, RegisteredPhone } from './ports.ts';

export type EndedReason = NonNullable<Subscription['endedReason']>;

type EndingDeps = Pick<Deps, 'subscriptions' | 'accounts' | 'clock'>;

/** As many tries as cancelling a subscription gets: a verify or a STOP may move it between reading and writing. */
const END_ATTEMPTS = 5;

/**
 * A subscription the phone made itself (old items have no `addedBy`: they count as such) stands only while the
 * phone is registered on the account; one the holder added stands, since the holder chose that phone.
 */
async function mustEnd(deps: EndingDeps, s: Subscription): Promise<EndedReason | undefined> {
  // A decoy was never confirmable and is on no list: it goes with its day.
  if (s.status === 'ended' || s.addedBy === 'holder' || s.decoy) return undefined;
  return (await deps.accounts.hasPhone(s.accountNumber, s.phone)) ? undefined : 'unregistered-phone';
}

type EndOutcome =
  | { ended: EndedReason; subscription: Subscription }
  | { fine: Subscription }
  | 'busy'
  | 'gone';

/**
 * Ends the subscription (active, pending or opted-out) if it must, by operators (`endedBy: ops`), through the same
 * conditional transition as a cancel, read again on a race. In a dry run it only says what it would do.
 */
export async function endIfUnregistered(
  deps: EndingDeps,
  found: Subscription,
  dryRun = false,
): Promise<EndOutcome> {
  let subscription = found;
  for (let attempt = 0; attempt < END_ATTEMPTS; attempt++) {
    const reason = await mustEnd(deps, subscription);
    if (!reason) return { fine: subscription };
    const next: Subscription = {
      ...subscription,
      status: 'ended',
      endedAt: deps.clock.now().toISOString(),
      endedBy: 'ops',
      endedReason: reason,
    };
    if (dryRun) return { ended: reason, subscription: next };
    if (await deps.subscriptions.end(next, subscription.status)) return { ended: reason, subscription: next };
    const now = await deps.subscriptions.get(subscription.id);
    // A pending sign-up past its day may be removed by the table's TTL meanwhile.
    if (!now) return 'gone';
    subscription = now;
  }
  return 'busy';
}

export interface RemovedPhonesOutcome {
  /** Subscriptions ended because their phone left their account. */
  ended: number;
  /** Subscriptions that kept changing while being ended (`ops migrate subscriptions` ends them later). */
  busyIds: string[];
}

/**
 * Ends what phones just removed from accounts had made there themselves: the next holder's bills must not reach
 * the previous occupant. The phone index may lag a write by a moment; a stale status read there is corrected by
 * the conditional end, which reads the subscription again.
 */
export async function endSubscriptionsOfRemovedPhones(
  deps: EndingDeps,
  removed: RegisteredPhone[],
): Promise<RemovedPhonesOutcome> {
  const outcome: RemovedPhonesOutcome = { ended: 0, busyIds: [] };
  for (const { accountNumber, phone } of removed) {
    const listed = await deps.subscriptions.listByPhone(phone);
    for (const s of listed.filter((s) => s.accountNumber === accountNumber)) {
      const ended = await endIfUnregistered(deps, s);
      if (ended === 'busy') outcome.busyIds.push(s.id);
      else if (ended !== 'gone' && 'ended' in ended) outcome.ended += 1;
    }
  }
  return outcome;
}
