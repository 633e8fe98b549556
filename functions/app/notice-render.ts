// Use case helper: a notice's texts for its subscriber, with the utility's notice context built once per configuration.
import type { UtilityConfig } from '#config/schema';
import type { Account } from '#domain/account';
import type { Announcement } from '#domain/announcement';
import type { Bill } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { type NoticeContext, type RenderedNotice, renderNotice } from '#domain/notice-text';
import { noticeContextFor } from '#domain/notice-text-context';
import { averageUsage } from '#domain/notice-text-cycle';
import type { Subscription } from '#domain/subscription';

const contexts = new WeakMap<UtilityConfig, NoticeContext>();

/** The utility's notice context, built once per configuration. */
export function contextOf(config: UtilityConfig): NoticeContext {
  let context = contexts.get(config);
  if (!context) {
    context = noticeContextFor(config);
    contexts.set(config, context);
  }
  return context;
}

/** The bill notice in the subscriber's language (the utility's own when it does not write in that one). */
export function renderBillNoticeFor(
  config: UtilityConfig,
  subscription: Subscription,
  account: Account,
  bill: Bill,
): RenderedNotice {
  return renderNotice({ kind: 'bill', account, bill, subscription }, contextOf(config));
}

/** An announcement in the subscriber's language (its own text there, else the utility's primary language's). */
export function renderAnnouncementFor(
  config: UtilityConfig,
  subscription: Subscription,
  announcement: Pick<Announcement, 'kind' | 'texts'>,
): RenderedNotice {
  return renderNotice({ kind: 'announcement', announcement, subscription }, contextOf(config));
}

/** The reading-window reminder of the month `period` for an account whose resident reads a meter. */
export function renderReadingWindowFor(
  config: UtilityConfig,
  subscription: Subscription,
  account: Account,
  period: string,
): RenderedNotice {
  return renderNotice({ kind: 'reading-window', account, period, subscription }, contextOf(config));
}

/** A bill's due-date reminder: the auto-pay or the giro wording, by the account's payment method. */
export function renderDueReminderFor(
  config: UtilityConfig,
  subscription: Subscription,
  account: Account,
  bill: Bill,
): RenderedNotice {
  return renderNotice({ kind: 'due-reminder', account, bill, subscription }, contextOf(config));
}

/** A leak-suspected bill's notice, its usage against the average of the bills before it. */
export function renderLeakCheckFor(
  config: UtilityConfig,
  subscription: Subscription,
  account: Account,
  bill: Bill,
  earlier: readonly Bill[],
): RenderedNotice {
  return renderNotice(
    { kind: 'leak-check', account, bill, subscription, averageVolume: averageUsage(earlier) },
    contextOf(config),
  );
}

/** The bill's auto-pay result: withdrawn (the payment of its reference) or not, with the bank's reason. */
export function renderAutoPayResultFor(
  config: UtilityConfig,
  subscription: Subscription,
  account: Account,
  bill: Bill & { autoPay: NonNullable<Bill['autoPay']> },
): RenderedNotice {
  const context = contextOf(config);
  const { autoPay } = bill;
  if (autoPay.status === 'withdrawn') {
    const payment = bill.payments.find((p) => p.reference !== undefined && p.reference === autoPay.reference);
    return renderNotice({ kind: 'auto-pay-succeeded', account, bill, subscription, payment }, context);
  }
  return renderNotice(
    {
      kind: 'auto-pay-failed',
      account,
      bill,
      subscription,
      attemptedOn: localDate(new Date(autoPay.at), config.timeZone),
      reason: autoPay.reason,
    },
    context,
  );
}
