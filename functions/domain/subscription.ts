// Bill-notice subscriptions: their states, and the month from which notices start (the cutoff rule).
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { e164Schema } from './account.ts';
import { addMonths, PERIOD_PATTERN, type Period } from './period.ts';

export const channelSchema = z.enum(['messenger', 'sms']);

/** pending: waiting for the code; active: receives notices; ended: cancelled; opted-out: STOP by SMS. */
export const subscriptionStatusSchema = z.enum(['pending', 'active', 'ended', 'opted-out']);

export const consentSchema = z.strictObject({
  version: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  source: z.enum(['web', 'sms', 'ops']),
});

export const subscriptionSchema = z.strictObject({
  id: z.string().min(1),
  accountNumber: z.string().min(1),
  phone: e164Schema,
  channel: channelSchema,
  language: z.string().length(2),
  /** Households sharing the meter: the notice shows each one's share. */
  households: z.number().int().min(1).optional(),
  status: subscriptionStatusSchema,
  /**
   * Who asked for it: the phone itself, registered on the account (self), or the account holder for another phone,
   * a household member's (holder). Nobody else can make an account's bill reach their phone.
   */
  addedBy: z.enum(['self', 'holder']).default('self'),
  createdAt: z.iso.datetime({ offset: true }),
  verifiedAt: z.iso.datetime({ offset: true }).optional(),
  /** The first billing period whose notice this subscription receives. */
  effectiveMonth: z.string().regex(PERIOD_PATTERN).optional(),
  endedAt: z.iso.datetime({ offset: true }).optional(),
  endedBy: z.enum(['web', 'sms', 'ops']).optional(),
  /**
   * A public sign-up for a phone that may not receive the account's bill (not registered on it, or no such
   * account): kept a day under its id alone, so its answers match a real one's, and never confirmable. It is on no
   * account's list and under no phone, so no stranger's sign-up shows to the holder or lingers after a STOP.
   */
  decoy: z.literal(true).optional(),
  /** Why operators ended it (an import or a migration), when it was not the subscriber's or the holder's choice. */
  endedReason: z.enum(['unregistered-phone']).optional(),
  consent: consentSchema,
  /**
   * The account's district when the subscription became active: it lists the subscription among its district's
   * subscribers, for announcements. Absent on subscriptions activated before districts were indexed, until the
   * subscriptions migration fills it in.
   */
  district: z.string().min(1).optional(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/**
 * Verified on or before the cutoff day (local date of the utility) -> this month's bill;
 * from the day after -> next month's.
 */
export function effectiveMonth(verifiedAt: Date, timeZone: string, cutoffDay: number): Period {
  const local = DateTime.fromJSDate(verifiedAt, { zone: timeZone });
  const month = local.toFormat('yyyy-MM');
  return local.day <= cutoffDay ? month : addMonths(month, 1);
}

/** The fan-out partition of a subscription: stable, and spread evenly over `shards`. */
export function fanOutShard(subscriptionId: string, shards: number): number {
  return createHash('sha256').update(subscriptionId).digest().readUInt32BE(0) % shards;
}

/** The subject one-time codes for a subscription are stored under (never an account number). */
export const subscriptionCodeSubject = (id: string) => `subscription:${id}`;

/**
 * How many active subscriptions an import gives each account. Throws for one that is not active (with its
 * effective month) or an account that would have more than `maxPhones`: nothing of such an import is written.
 */
export function importedPerAccount(
  subscriptions: readonly Subscription[],
  maxPhones: number,
): Map<string, number> {
  const perAccount = new Map<string, number>();
  for (const subscription of subscriptions) {
    if (subscription.status !== 'active' || !subscription.effectiveMonth)
      throw new Error(
        `importActive takes active subscriptions only: ${subscription.id} is ${subscription.status}`,
      );
    perAccount.set(subscription.accountNumber, (perAccount.get(subscription.accountNumber) ?? 0) + 1);
  }
  for (const [accountNumber, count] of perAccount) {
    if (count > maxPhones)
      throw new Error(`Account ${accountNumber} would have ${count} phones, over ${maxPhones}`);
  }
  return perAccount;
}
