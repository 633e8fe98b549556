// NoticeSourceReader on the single table: a delivery's subscriptions, accounts, bills or announcements, then its phones' opt-outs.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LEAK_HISTORY_BILLS, type NoticeSourceReader, type NoticeSources } from '#app/ports';
import type { NoticeJob } from '#contracts/notice-job';
import { accountSchema } from '#domain/account';
import { announcementSchema } from '#domain/announcement';
import { type Bill, billSchema } from '#domain/bill';
import { subscriptionSchema } from '#domain/subscription';
import { batchGet } from './batch.ts';
import { DynamoBillStore } from './bill-store.ts';
import { ENTITY, keys, stripInternalKeys } from './keys.ts';

export class DynamoNoticeSources implements NoticeSourceReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async read(jobs: readonly NoticeJob[]): Promise<NoticeSources> {
    const wanted = new Map<string, { pk: string; sk: string }>();
    for (const job of jobs) {
      for (const key of [
        keys.subscription(job.subscriptionId),
        keys.account(job.accountNumber),
        job.run.kind === 'announcement'
          ? keys.announcement(job.run.ref)
          : keys.bill(job.accountNumber, job.run.ref),
      ])
        wanted.set(`${key.pk}\n${key.sk}`, key);
    }
    const sources: NoticeSources = {
      subscriptions: new Map(),
      accounts: new Map(),
      bills: new Map(),
      announcements: new Map(),
      optedOut: new Map(),
    };
    for (const item of await batchGet(this.client, this.table, [...wanted.values()])) {
      const fields = stripInternalKeys(item);
      if (item.type === ENTITY.subscription) {
        const subscription = subscriptionSchema.parse(fields);
        sources.subscriptions.set(subscription.id, subscription);
      } else if (item.type === ENTITY.account) {
        const account = accountSchema.parse(fields);
        sources.accounts.set(account.accountNumber, account);
      } else if (item.type === ENTITY.bill) {
        const bill = billSchema.parse(fields);
        sources.bills.set(`${bill.accountNumber}#${bill.period}`, bill);
      } else if (item.type === ENTITY.announcement) {
        const announcement = announcementSchema.parse(fields);
        sources.announcements.set(announcement.id, announcement);
      }
    }
    // A second batch, not one more GetItem a notice: the phones are known only once the subscriptions are read.
    const phoneOf = new Map<string, string>();
    for (const { phone } of sources.subscriptions.values()) {
      phoneOf.set(keys.optOutState(phone).pk, phone);
      // No state item: the phone never opted out.
      sources.optedOut.set(phone, false);
    }
    const states = await batchGet(
      this.client,
      this.table,
      [...phoneOf.values()].map((phone) => keys.optOutState(phone)),
      'pk, optedOut',
    );
    for (const state of states) {
      const phone = phoneOf.get(String(state.pk));
      if (phone !== undefined) sources.optedOut.set(phone, state.optedOut === true);
    }
    const leakChecks = jobs.filter((job) => job.run.kind === 'leak-check');
    if (leakChecks.length > 0) sources.earlierBills = await this.earlierBills(leakChecks);
    return sources;
  }

  /** One Query per leak-check account (they are few: one account's subscribers at a time). */
  private async earlierBills(jobs: readonly NoticeJob[]): Promise<Map<string, Bill[]>> {
    // Reads only: the shard count places the unpaid-bills index entries of writes.
    const bills = new DynamoBillStore(this.client, this.table, 1);
    const found = new Map<string, Bill[]>();
    for (const job of jobs) {
      const key = `${job.accountNumber}#${job.run.ref}`;
      if (found.has(key)) continue;
      // Newest first: one more than kept, since the page may start with the bill itself.
      const page = await bills.list(job.accountNumber, { limit: LEAK_HISTORY_BILLS + 1 });
      found.set(key, page.items.filter((bill) => bill.period < job.run.ref).slice(0, LEAK_HISTORY_BILLS));
    }
    return found;
  }
}
