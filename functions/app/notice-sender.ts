// Use case: send one queued notice once: claim it, decide whether it still goes, send by messenger or SMS, record.
import type { NoticeJob } from '#contracts/notice-job';
import type { Account } from '#domain/account';
import { amountPaid, type Bill } from '#domain/bill';
import {
  isAccountNoticeKind,
  type NoticeKey,
  type NoticeOutcome,
  type NoticeRunKey,
  type NoticeSkipReason,
  noticeId,
} from '#domain/notice';
import { NoticeTextError, type RenderedNotice } from '#domain/notice-text';
import { residentReadMeters } from '#domain/notice-text-cycle';
import { billingPeriodOfWindow } from '#domain/period';
import { isQuiet, quietEnd } from '#domain/quiet-hours';
import type { Subscription } from '#domain/subscription';
import {
  renderAnnouncementFor,
  renderAutoPayResultFor,
  renderBillNoticeFor,
  renderDueReminderFor,
  renderLeakCheckFor,
  renderReadingWindowFor,
} from './notice-render.ts';
import {
  type Deps,
  MessengerUnreachableError,
  type NoticeClaim,
  type NoticeSources,
  SmsRefusedError,
} from './ports.ts';

/** Thrown when another sender holds the notice's claim right now: the queue delivers the job again later. */
export class NoticeInProgressError extends Error {
  override name = 'NoticeInProgressError';
}

export type SendResult =
  | { result: 'sent' | 'skipped'; outcome: NoticeOutcome }
  /** Already recorded by an earlier delivery or run. */
  | { result: 'duplicate' }
  /** The subscription is gone (a pending sign-up expired): there is no phone to send to, and nothing to record. */
  | { result: 'no-subscriber' }
  /** The quiet hours began: the run waits for their end and sends it then. */
  | { result: 'held'; resumeAt: string };

type SenderDeps = Pick<
  Deps,
  'config' | 'clock' | 'notices' | 'sms' | 'messenger' | 'optOuts' | 'providerOptOuts' | 'metrics'
>;

const skip = (reason: NoticeSkipReason, detail?: string): NoticeOutcome => ({
  status: 'skipped',
  reason,
  detail,
});

/** A notice sent (or skipped) whose outcome is still to be recorded. */
interface Unrecorded {
  id: string;
  claimedAt: number;
  run: NoticeRunKey;
  outcome: NoticeOutcome;
}

/**
 * Sends the notices of one delivery, each unless it was sent before, and answers each job's result (or its error,
 * for the queue to retry that job alone). The notices are claimed (conditional writes, all in one where none was
 * claimed before) before any provider call; the outcomes are recorded after, all of the delivery's in one
 * transaction with the run's counts (each on the condition that its claim still stands; if one was taken over
 * meanwhile, each is recorded on its own). A provider that takes an idempotency key gets the notice id, so the one
 * remaining window (the provider took it, the record was not written and the claim went stale) makes no second
 * message where the provider honours the key. A transient failure gives the claim back and fails that job, so the
 * queue tries it again.
 */
export async function sendNotices(
  deps: SenderDeps,
  jobs: readonly NoticeJob[],
  sources: NoticeSources,
): Promise<Array<SendResult | Error>> {
  const now = deps.clock.now();
  const { quietHours } = deps.config.notices;
  if (isQuiet(now, deps.config.timeZone, quietHours)) {
    // Not claimed: the runs are planned again when the quiet hours end, and these notices go then.
    const resumeAt = quietEnd(now, deps.config.timeZone, quietHours).toISOString();
    const runs = new Map(jobs.map((job) => [`${job.run.kind}#${job.run.ref}`, job.run]));
    for (const run of runs.values()) await deps.notices.holdRun(run, resumeAt);
    return jobs.map(() => ({ result: 'held', resumeAt }));
  }
  const notices = jobs.map((job) => noticeOf(job, sources));
  const claims = await claimAll(deps, notices, now);
  const unrecorded: Unrecorded[] = [];
  const results = await Promise.all(
    jobs.map(async (job, i): Promise<SendResult | Error> => {
      const notice = notices[i];
      const claim = claims[i];
      if (!notice) return { result: 'no-subscriber' };
      if (!claim || claim instanceof Error) return claim ?? new Error('no claim');
      try {
        const sent = await send(deps, notice, claim, sources);
        if ('claimedAt' in sent) {
          unrecorded.push({ ...sent, run: job.run });
          return { result: sent.outcome.status, outcome: sent.outcome };
        }
        return sent;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );
  await record(deps, unrecorded);
  for (const { run, outcome } of unrecorded) {
    if (outcome.status === 'sent') {
      deps.metrics.count('NoticeSent', { kind: run.kind, channel: outcome.channel });
      if (outcome.fallback) deps.metrics.count('NoticeFellBack', { kind: run.kind });
    } else {
      deps.metrics.count('NoticeSkipped', { kind: run.kind, reason: outcome.reason });
    }
  }
  return results;
}

/** A job's notice: the subscription it goes to and the notice's key; none when the subscription is gone. */
interface Notice {
  job: NoticeJob;
  subscription: Subscription;
  key: NoticeKey & { id: string; subscriptionId: string };
}

function noticeOf(job: NoticeJob, sources: NoticeSources): Notice | undefined {
  const subscription = sources.subscriptions.get(job.subscriptionId);
  if (!subscription) return undefined;
  const key: NoticeKey = { ...job.run, accountNumber: subscription.accountNumber, phone: subscription.phone };
  return { job, subscription, key: { ...key, id: noticeId(key), subscriptionId: subscription.id } };
}

/** Claims the delivery's notices together (one write where none was claimed before), each job's claim or error. */
async function claimAll(
  deps: SenderDeps,
  notices: ReadonlyArray<Notice | undefined>,
  now: Date,
): Promise<Array<NoticeClaim | Error | undefined>> {
  const wanted = notices.filter((notice) => notice !== undefined);
  try {
    const claims = await deps.notices.claimMany(
      wanted.map((notice) => notice.key),
      now.getTime(),
    );
    return notices.map((notice) => (notice ? claims[wanted.indexOf(notice)] : undefined));
  } catch (error) {
    // Nothing was claimed: every job of the delivery is tried again.
    const failed = error instanceof Error ? error : new Error(String(error));
    return notices.map(() => failed);
  }
}

/** One claimed notice: sent or skipped, its outcome back unrecorded; a failure gives the claim back. */
async function send(
  deps: SenderDeps,
  { job, subscription, key }: Notice,
  claim: NoticeClaim,
  sources: NoticeSources,
): Promise<SendResult | Omit<Unrecorded, 'run'>> {
  if (claim.state === 'done') return { result: 'duplicate' };
  if (claim.state === 'in-progress') throw new NoticeInProgressError(`Notice ${key.id} is being sent`);
  try {
    const outcome = await decideAndSend(deps, job.run, subscription, sources, key.id);
    return { id: key.id, claimedAt: claim.claimedAt, outcome };
  } catch (error) {
    await deps.notices.release(key.id, claim.claimedAt);
    throw error;
  }
}

/** Records every outcome in one write; if a claim was taken over meanwhile, each one on its own. */
async function record(deps: SenderDeps, unrecorded: readonly Unrecorded[]): Promise<void> {
  if (unrecorded.length === 0) return;
  const now = deps.clock.now().getTime();
  if (await deps.notices.completeMany(unrecorded, now)) return;
  // The sender that took a claim over records that notice; this one records the rest.
  for (const notice of unrecorded) {
    await deps.notices.complete(notice.id, notice.claimedAt, notice.run, notice.outcome, now);
  }
}

/** The notice as it goes to this subscriber now, or why it does not go. */
function noticeFor(
  deps: SenderDeps,
  run: NoticeRunKey,
  subscription: Subscription,
  sources: NoticeSources,
): RenderedNotice | NoticeOutcome {
  // Read at send time, not when planned: a STOP or a cancel since the run began still counts.
  if (subscription.status !== 'active' || subscription.decoy || !subscription.effectiveMonth)
    return skip('not-subscribed');
  const account = sources.accounts.get(subscription.accountNumber);
  try {
    if (run.kind === 'announcement') {
      const announcement = sources.announcements.get(run.ref);
      // Stored before its run began, and never deleted: its absence is a fault to retry, not a skip.
      if (!announcement) throw new Error(`Announcement ${run.ref} is missing`);
      if (!account || !announcement.districts.includes(account.district)) return skip('not-in-district');
      return renderAnnouncementFor(deps.config, subscription, announcement);
    }
    if (run.kind === 'reading-window') return readingWindowNotice(deps, run, subscription, account);
    // An account's own notice (leak, auto-pay) goes to whoever follows the account now, from any month on.
    if (!isAccountNoticeKind(run.kind) && subscription.effectiveMonth > run.ref)
      return skip('not-subscribed');
    const bill = sources.bills.get(`${subscription.accountNumber}#${run.ref}`);
    if (!account || !bill) return skip('no-bill');
    return billBasedNotice(deps, run, subscription, account, bill, sources);
  } catch (error) {
    // A text that cannot be written (too long even shortened, or not for this account) fails again on every retry.
    if (error instanceof NoticeTextError) {
      return skip(error.type === 'notice-not-applicable' ? 'not-applicable' : 'too-long', error.type);
    }
    throw error;
  }
}

/** The window opens: only for an account whose resident reads a meter, from the bill the window feeds on. */
function readingWindowNotice(
  deps: SenderDeps,
  run: NoticeRunKey,
  subscription: Subscription,
  account: Account | undefined,
): RenderedNotice | NoticeOutcome {
  if (subscription.effectiveMonth && subscription.effectiveMonth > billingPeriodOfWindow(run.ref))
    return skip('not-subscribed');
  if (!account) return skip('not-applicable', 'no account');
  if (residentReadMeters(account, deps.config.readings.readBy).length === 0) return skip('not-self-read');
  return renderReadingWindowFor(deps.config, subscription, account, run.ref);
}

/** A notice about one bill: the bill itself, its due date, a suspected leak, or auto-pay's answer. */
function billBasedNotice(
  deps: SenderDeps,
  run: NoticeRunKey,
  subscription: Subscription,
  account: Account,
  bill: Bill,
  sources: NoticeSources,
): RenderedNotice | NoticeOutcome {
  switch (run.kind) {
    case 'due-reminder':
      // Read at send time: a payment since the run began still spares the reminder.
      if (bill.status === 'paid' || amountPaid(bill) >= bill.amountDue) return skip('paid');
      return renderDueReminderFor(deps.config, subscription, account, bill);
    case 'leak-check':
      if (!bill.flags?.includes('leak-suspected')) return skip('not-applicable', 'not leak-suspected');
      return renderLeakCheckFor(
        deps.config,
        subscription,
        account,
        bill,
        sources.earlierBills?.get(`${bill.accountNumber}#${bill.period}`) ?? [],
      );
    case 'auto-pay-result': {
      const { autoPay } = bill;
      if (!autoPay) return skip('not-applicable', 'no auto-pay result');
      return renderAutoPayResultFor(deps.config, subscription, account, { ...bill, autoPay });
    }
    default:
      return renderBillNoticeFor(deps.config, subscription, account, bill);
  }
}

async function decideAndSend(
  deps: SenderDeps,
  run: NoticeRunKey,
  subscription: Subscription,
  sources: NoticeSources,
  id: string,
): Promise<NoticeOutcome> {
  const rendered = noticeFor(deps, run, subscription, sources);
  if ('status' in rendered) return rendered;
  // Our opt-out state, read with the delivery's sources right before its notices are claimed: still send time.
  const optedOut = sources.optedOut.get(subscription.phone);
  let fallback = false;
  if (subscription.channel === 'messenger') {
    // Where every SMS leaves, opt-outs are checked (OptOutAwareSms); the messenger's path is checked here.
    const [ours, theirs] = await Promise.all([
      optedOut ?? deps.optOuts.isOptedOut(subscription.phone),
      deps.providerOptOuts.isOptedOut(subscription.phone),
    ]);
    if (ours || theirs) return skip('opted-out');
    try {
      const sent = await deps.messenger.send({
        to: subscription.phone,
        templateKey: rendered.messenger.templateKey,
        parameters: rendered.messenger.parameters,
        text: rendered.messenger.text,
        idempotencyKey: id,
      });
      return {
        status: 'sent',
        channel: 'messenger',
        // The provider sent its own SMS when the messenger failed: we do not send a second one.
        fallback: sent.providerFallback ?? false,
        providerMessageId: sent.messageId,
        parts: 1,
        format: 'messenger',
      };
    } catch (error) {
      if (!(error instanceof MessengerUnreachableError)) throw error;
      fallback = true;
    }
  }
  const { size } = rendered.sms;
  if (!size.fits) return skip('too-long');
  try {
    const sent = await deps.sms.send({
      to: subscription.phone,
      body: rendered.sms.text,
      purpose: 'notice',
      // One key per channel: the SMS after a messenger attempt must not be taken for that attempt.
      idempotencyKey: fallback ? `${id}-sms` : id,
      optedOut,
    });
    if (sent.suppressed) return skip('opted-out');
    return {
      status: 'sent',
      channel: 'sms',
      fallback,
      providerMessageId: sent.messageId,
      parts: size.parts,
      format: size.type,
    };
  } catch (error) {
    if (error instanceof SmsRefusedError) return skip('refused', error.reason);
    throw error;
  }
}
