// Use case: act on one inbound SMS (a reading, STOP/START, BILL, HELP), exactly once per inbound message id.
import { localize, primaryLanguage } from '#config/schema';
import { effectiveStatus } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { notInFuture } from '#domain/gateway-time';
import { billSummaryText, keywordReply } from '#domain/messages';
import { formatMoney } from '#domain/money';
import { toE164 } from '#domain/phone';
import { type ReplyContext, readingReply } from '#domain/reading-replies';
import { parseSmsCommand, type SmsCommand } from '#domain/sms-command';
import { effectiveMonth, fanOutShard, type Subscription } from '#domain/subscription';
import type { Deps, InboundSms } from './ports.ts';
import { confirmReading } from './reading-confirmation.ts';
import { refusalText, replyContext } from './reading-refusal-text.ts';
import { DuplicateMessage, type ReadingAccepted, ReadingRejected, submitReading } from './readings.ts';
import { queueReply } from './sms-replies.ts';

export type InboundOutcome = 'processed' | 'duplicate' | 'ignored';

type InboundDeps = Pick<
  Deps,
  | 'config'
  | 'clock'
  | 'subscriptions'
  | 'optOuts'
  | 'outbox'
  | 'outboundQueue'
  | 'inbound'
  | 'accounts'
  | 'bills'
  | 'readings'
  | 'counters'
  | 'metrics'
>;

/** What acting on a message decided: the outcome, and what to send once it is recorded as done. */
interface Action {
  outcome: InboundOutcome;
  reply?: string;
  /** An accepted reading that came with an e-mail address, and the language to confirm it in. */
  confirmation?: { accepted: ReadingAccepted; language: string };
  /** Whether acting already recorded the message as done (an accepted reading, in the reading's own write). */
  recorded?: boolean;
}

/** Thrown when another worker is processing the same message right now: let the queue retry later. */
export class MessageInProgressError extends Error {
  override name = 'MessageInProgressError';
}

/**
 * STOP and START change several items, so they claim the message first and record it done after. Everything
 * else writes at most one thing: an accepted reading records the message as done in the same write as itself,
 * and the rest (a refused reading, HELP, BILL) record it done before replying. A redelivery finds it done and
 * sends nothing again.
 */
export async function handleInboundSms(deps: InboundDeps, sms: InboundSms): Promise<InboundOutcome> {
  const { config } = deps;
  const command = parseSmsCommand(sms.body, config.readings);
  if (command.kind === 'empty') return 'ignored';
  const phone = toE164(sms.from, config.country) ?? sms.from;
  const message = { ...sms, sentAt: notInFuture(sms.sentAt, deps.clock.now()) };
  let action: Action;
  if (command.kind === 'stop' || command.kind === 'start') {
    const claim = await deps.inbound.claim(sms.messageId, deps.clock.now().getTime());
    if (claim === 'done') return 'duplicate';
    if (claim === 'in-progress')
      throw new MessageInProgressError(`message ${sms.messageId} is being processed`);
    try {
      action = await keyword(deps, phone, message, command.kind, command.keyword);
      await deps.inbound.complete(sms.messageId, deps.clock.now().getTime());
    } catch (error) {
      await deps.inbound.release(sms.messageId);
      throw error;
    }
  } else {
    try {
      action = await answer(deps, phone, message, command);
    } catch (error) {
      if (error instanceof DuplicateMessage) return 'duplicate';
      throw error;
    }
    if (!action.recorded && !(await deps.inbound.markDone(sms.messageId, deps.clock.now().getTime()))) {
      return 'duplicate';
    }
  }
  // Queued after the message is recorded as done: a redelivery never queues a second reply or e-mail. No provider
  // is called here: the outbound sender sends both, retrying while a provider is down. One failing to queue does
  // not stop the other; a failure is still thrown, so the consumer logs it. A reply may be withheld (a sender
  // abroad, or past its daily share): the message has been acted on all the same.
  const { reply, confirmation } = action;
  const sent = await Promise.allSettled([
    reply ? queueReply(deps, phone, reply, command.kind) : undefined,
    confirmation ? confirmReading(deps, confirmation.accepted, confirmation.language) : undefined,
  ]);
  const failure = sent.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  const confirmed = sent[1]?.status === 'fulfilled' ? sent[1].value : undefined;
  if (confirmed?.outcome === 'failed') throw confirmed.error;
  return action.outcome;
}

/** The phone's subscriptions as they are now (the phone index may lag a write by a moment). */
async function currentSubscriptions(deps: InboundDeps, phone: string): Promise<Subscription[]> {
  const listed = await deps.subscriptions.listByPhone(phone);
  const fresh = await Promise.all(listed.map((s) => deps.subscriptions.get(s.id)));
  return fresh.filter((s): s is Subscription => s !== undefined);
}

/** The utility's language and name, for replies that are not about a subscription. */
function voice(deps: InboundDeps): { language: string; utilityName: string } {
  const language = primaryLanguage(deps.config);
  return { language, utilityName: deps.config.name[language] ?? deps.config.id };
}

/** STOP and START, answered in the subscriber's language. */
async function keyword(
  deps: InboundDeps,
  phone: string,
  sms: InboundSms,
  kind: 'stop' | 'start',
  typed: string,
): Promise<Action> {
  const { config } = deps;
  const now = deps.clock.now();
  const subscriptions = await currentSubscriptions(deps, phone);
  const language = subscriptions[0]?.language ?? primaryLanguage(config);
  const utilityName = config.name[language] ?? voice(deps).utilityName;
  const optedOut = kind === 'stop';
  const applied = await deps.optOuts.record({
    phone,
    optedOut,
    at: sms.sentAt,
    channel: 'sms',
    keyword: typed,
    messageId: sms.messageId,
  });
  // A later STOP or START from this phone was already applied: this older one changes nothing. This same message
  // again is not older: a first try that failed part-way left it recorded, and this one finishes the changes.
  if (!applied) return { outcome: 'ignored' };
  if (optedOut) {
    // Pending sign-ups stop too, so a code confirmed after the STOP cannot start notices again.
    for (const s of subscriptions.filter((s) => s.status === 'active' || s.status === 'pending')) {
      const ended = await deps.subscriptions.end(
        { ...s, status: 'opted-out', endedAt: now.toISOString(), endedBy: 'sms' },
        s.status,
      );
      if (ended) deps.metrics.count('SubscriptionEnded', { by: 'sms' });
    }
    return { reply: keywordReply(language, 'stopped', utilityName), outcome: 'processed' };
  }
  let refused = 0;
  // Newest first: where two compete for one (account, phone), the latest sign-up wins.
  const stopped = subscriptions
    .filter((s) => s.status === 'opted-out' && s.verifiedAt)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const s of stopped) {
    // A phone's own sign-up stands only while the phone is registered on the account: once the holder (or the
    // holder's phones) changed, the bill is no longer this phone's to get. The holder's own choices stand.
    if (s.addedBy === 'self' && !(await deps.accounts.hasPhone(s.accountNumber, s.phone))) {
      refused++;
      continue;
    }
    const { endedAt: _endedAt, endedBy: _endedBy, ...rest } = s;
    const next: Subscription = {
      ...rest,
      status: 'active',
      // Notices resume from the bill the cutoff rule gives for today, as for a new sign-up.
      effectiveMonth: effectiveMonth(now, config.timeZone, config.subscriptions.signupCutoffDay),
      consent: { version: config.subscriptions.consent.version, at: now.toISOString(), source: 'sms' },
    };
    const result = await deps.subscriptions.activate(next, {
      from: 'opted-out',
      maxPhones: config.subscriptions.maxPhonesPerAccount,
      shard: fanOutShard(s.id, config.subscriptions.fanOutShards),
    });
    if (result !== 'activated') refused++;
  }
  return {
    reply: keywordReply(language, refused > 0 ? 'not-resumed' : 'started', utilityName),
    outcome: 'processed',
  };
}

/** Readings, HELP and BILL, answered in the utility's language. */
async function answer(
  deps: InboundDeps,
  phone: string,
  sms: InboundSms,
  command: Exclude<SmsCommand, { kind: 'empty' | 'stop' | 'start' }>,
): Promise<Action> {
  const { language, utilityName } = voice(deps);
  const context = replyContext(deps.config, utilityName);
  switch (command.kind) {
    case 'reading':
      return { ...(await reading(deps, phone, sms, command, language, context)), outcome: 'processed' };
    case 'invalid':
      return { reply: readingReply(language, command.problem, context), outcome: 'processed' };
    case 'help':
      return { reply: readingReply(language, 'help', context), outcome: 'processed' };
    case 'bill':
      return {
        reply: await billReply(deps, phone, command.accountNumber, language, utilityName),
        outcome: 'processed',
      };
  }
}

async function reading(
  deps: InboundDeps,
  phone: string,
  sms: InboundSms,
  command: { accountNumber: string; readings: number[]; email?: string },
  language: string,
  context: ReplyContext,
): Promise<Omit<Action, 'outcome'>> {
  try {
    const result = await submitReading(deps, {
      accountNumber: command.accountNumber,
      values: command.readings,
      source: 'sms',
      phone,
      sentAt: sms.sentAt,
      messageId: sms.messageId,
      email: command.email,
    });
    const confirmation = result.reading.email ? { confirmation: { accepted: result, language } } : {};
    if (result.flagged) {
      return {
        reply: localize(deps.config, deps.config.readings.leakCheckText, language),
        ...confirmation,
        recorded: true,
      };
    }
    // As the utility's source says: an accepted reading gets no reply, unless configured.
    return deps.config.readings.replyOnSuccess
      ? { reply: readingReply(language, 'accepted', context), ...confirmation, recorded: true }
      : { ...confirmation, recorded: true };
  } catch (error) {
    const reply =
      error instanceof ReadingRejected
        ? refusalText(language, context, error, command.accountNumber)
        : undefined;
    if (reply === undefined) throw error;
    return { reply };
  }
}

/** The latest bill, only to a phone registered on the account (never to anyone else). */
async function billReply(
  deps: InboundDeps,
  phone: string,
  accountNumber: string | undefined,
  language: string,
  utilityName: string,
): Promise<string> {
  const context = replyContext(deps.config, utilityName);
  const registered = await deps.accounts.accountsOfPhone(phone);
  const account = accountNumber ?? (registered.length === 1 ? registered[0] : undefined);
  if (!account || !registered.includes(account)) {
    return readingReply(language, 'phone-not-registered', context, { account: accountNumber ?? '' });
  }
  const [latest] = (await deps.bills.list(account, { limit: 1 })).items;
  if (!latest) return readingReply(language, 'no-bill', context);
  return billSummaryText(language, {
    utilityName,
    period: latest.period,
    amount: formatMoney(latest.amountDue, latest.currency, deps.config.locale),
    dueDate: latest.dueDate,
    status: effectiveStatus(latest, localDate(deps.clock.now(), deps.config.timeZone)),
  });
}
