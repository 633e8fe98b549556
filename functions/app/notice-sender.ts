// Use case: send one queued notice once: claim it, decide whether it still goes, send by messenger or SMS, record.
import type { NoticeJob } from '#contracts/notice-job';
import {
  type NoticeKey,
  type NoticeOutcome,
  type NoticeRunKey,
  type NoticeSkipReason,
  noticeId,
} from '#domain/notice';
import { isQuiet, quietEnd } from '#domain/quiet-hours';
import type { Subscription } from '#domain/subscription';
import { renderBillNoticeFor } from './notice-render.ts';
import { type Deps, MessengerUnreachableError, type NoticeSources, SmsRefusedError } from './ports.ts';

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

/**
 * Sends the notice of `job` unless it was sent before. The claim (a conditional write) comes before any provider
 * call and the outcome is recorded after it, in one write with the run's counts; a provider that takes an
 * idempotency key gets the notice id, so the one remaining window (the provider took it, the record was not written
 * and the claim went stale) does not make a second message where the provider honours the key. A transient failure
 * gives the claim back and throws, so the queue tries again.
 */
export async function sendNotice(
  deps: SenderDeps,
  job: NoticeJob,
  sources: NoticeSources,
): Promise<SendResult> {
  const now = deps.clock.now();
  const { quietHours } = deps.config.notices;
  if (isQuiet(now, deps.config.timeZone, quietHours)) {
    // Not claimed: the run is planned again when the quiet hours end, and this notice goes then.
    const resumeAt = quietEnd(now, deps.config.timeZone, quietHours).toISOString();
    await deps.notices.holdRun(job.run, resumeAt);
    return { result: 'held', resumeAt };
  }
  const subscription = sources.subscriptions.get(job.subscriptionId);
  if (!subscription) return { result: 'no-subscriber' };
  const key: NoticeKey = { ...job.run, accountNumber: subscription.accountNumber, phone: subscription.phone };
  const id = noticeId(key);
  const claim = await deps.notices.claim({ ...key, id, subscriptionId: subscription.id }, now.getTime());
  if (claim.state === 'done') return { result: 'duplicate' };
  if (claim.state === 'in-progress') throw new NoticeInProgressError(`Notice ${id} is being sent`);
  let outcome: NoticeOutcome;
  try {
    outcome = await decideAndSend(deps, job.run, subscription, sources, id);
  } catch (error) {
    await deps.notices.release(id, claim.claimedAt);
    throw error;
  }
  await deps.notices.complete(id, claim.claimedAt, job.run, outcome, deps.clock.now().getTime());
  if (outcome.status === 'sent') {
    deps.metrics.count('NoticeSent', { kind: job.run.kind, channel: outcome.channel });
    if (outcome.fallback) deps.metrics.count('NoticeFellBack', { kind: job.run.kind });
  } else {
    deps.metrics.count('NoticeSkipped', { kind: job.run.kind, reason: outcome.reason });
  }
  return { result: outcome.status, outcome };
}

async function decideAndSend(
  deps: SenderDeps,
  run: NoticeRunKey,
  subscription: Subscription,
  sources: NoticeSources,
  id: string,
): Promise<NoticeOutcome> {
  // Read at send time, not when planned: a STOP or a cancel since the run began still counts.
  if (
    subscription.status !== 'active' ||
    subscription.decoy ||
    !subscription.effectiveMonth ||
    subscription.effectiveMonth > run.ref
  )
    return skip('not-subscribed');
  const account = sources.accounts.get(subscription.accountNumber);
  const bill = sources.bills.get(`${subscription.accountNumber}#${run.ref}`);
  if (!account || !bill) return skip('no-bill');
  const [ours, theirs] = await Promise.all([
    deps.optOuts.isOptedOut(subscription.phone),
    deps.providerOptOuts.isOptedOut(subscription.phone),
  ]);
  if (ours || theirs) return skip('opted-out');

  const rendered = renderBillNoticeFor(deps.config, subscription, account, bill);
  let fallback = false;
  if (subscription.channel === 'messenger') {
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
