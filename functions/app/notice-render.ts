// Use case helper: a notice's texts for its subscriber, with the utility's notice context built once per configuration.
import type { UtilityConfig } from '#config/schema';
import type { Account } from '#domain/account';
import type { Announcement } from '#domain/announcement';
import type { Bill } from '#domain/bill';
import { type NoticeContext, type RenderedNotice, renderNotice } from '#domain/notice-text';
import { noticeContextFor } from '#domain/notice-text-context';
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
