// Use case: act on one inbound SMS (STOP/START now), exactly once per inbound message id.
import { localize, primaryLanguage } from '#config/schema';
import { effectiveStatus } from '#domain/bill';
import { localDate } from '#domain/calendar';
import { billSummaryText, keywordReply } from '#domain/messages';
import { formatMoney } from '#domain/money';
import { toE164 } from '#domain/phone';
import { isReadingReplyKind, type ReplyContext, readingReply } from '#domain/reading-replies';
import { parseSmsCommand } from '#domain/sms-command';
import { effectiveMonth, fanOutShard, type Subscription } from '#domain/subscription';
import type { Deps } from './ports.ts';
import { sendReadingConfirmation } from './reading-confirmation.ts';
import { type ReadingAccepted, ReadingRejected, submitReading } from './readings.ts';

export interface InboundSms {
  /** The provider's id of the inbound message: the idempotency key. */
  messageId: string;
  from: string;
  to: string;
  body: string;
  /** When the resident sent it (ISO): orders STOP and START that arrive out of order. */
  sentAt: string;
}

export type InboundOutcome = 'processed' | 'duplicate' | 'ignored';

type InboundDeps = Pick<
  Deps,
  | 'config'
  | 'clock'
  | 'subscriptions'
  | 'optOuts'
  | 'sms'
  | 'email'
  | 'inbound'
  | 'accounts'
  | 'bills'
  | 'readings'
>;

/** What acting on a message decided: the outcome, and what to send once it is recorded as done. */
interface Action {
  outcome: InboundOutcome;
  reply?: string;
  /** An accepted reading that came with an e-mail address, and the language to confirm it in. */
  confirmation?: { accepted: ReadingAccepted; language: string };
}

/** Thrown when another worker is processing the same message right now: let the queue retry later. */
export class MessageInProgressError extends Error {
  override name = 'MessageInProgressError';
}

export async function handleInboundSms(deps: InboundDeps, sms: InboundSms): Promise<InboundOutcome> {
  const claim = await deps.inbound.claim(sms.messageId, deps.clock.now().getTime());
  if (claim === 'done') return 'duplicate';
  if (claim === 'in-progress')
    throw new MessageInProgressError(`message ${sms.messageId} is being processed`);
  let action: Action;
  const phone = toE164(sms.from, deps.config.country) ?? sms.from;
  try {
    action = await act(deps, phone, sms);
    await deps.inbound.complete(sms.messageId, deps.clock.now().getTime());
  } catch (error) {
    await deps.inbound.release(sms.messageId);
    throw error;
  }
  // Sent after the message is marked done: a redelivery never sends a second reply or e-mail. One failing
  // does not stop the other; a failure is still thrown, so the consumer logs it.
  const { reply, confirmation } = action;
  const sent = await Promise.allSettled([
    reply ? deps.sms.send({ to: phone, body: reply, purpose: 'reply' }) : undefined,
    confirmation ? sendReadingConfirmation(deps, confirmation.accepted, confirmation.language) : undefined,
  ]);
  const failure = sent.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return action.outcome;
}

/** The phone's subscriptions as they are now (the phone index may lag a write by a moment). */
async function currentSubscriptions(deps: InboundDeps, phone: string): Promise<Subscription[]> {
  const listed = await deps.subscriptions.listByPhone(phone);
  const fresh = await Promise.all(listed.map((s) => deps.subscriptions.get(s.id)));
  return fresh.filter((s): s is Subscription => s !== undefined);
}

async function act(deps: InboundDeps, phone: string, sms: InboundSms): Promise<Action> {
  const { config } = deps;
  const command = parseSmsCommand(sms.body, config.readings);
  if (command.kind === 'empty') return { outcome: 'ignored' };
  const now = deps.clock.now();
  // Readings, HELP and BILL are answered in the utility's language; STOP/START in the subscriber's.
  let language = primaryLanguage(config);
  let utilityName = config.name[language] ?? config.id;
  switch (command.kind) {
    case 'stop':
    case 'start': {
      const subscriptions = await currentSubscriptions(deps, phone);
      language = subscriptions[0]?.language ?? language;
      utilityName = config.name[language] ?? utilityName;
      const optedOut = command.kind === 'stop';
      const applied = await deps.optOuts.record({
        phone,
        optedOut,
        at: sms.sentAt,
        channel: 'sms',
        keyword: command.keyword,
        messageId: sms.messageId,
      });
      // A later STOP or START from this phone was already applied: this older one changes nothing.
      if (!applied) return { outcome: 'ignored' };
      if (optedOut) {
        // Pending sign-ups stop too, so a code confirmed after the STOP cannot start notices again.
        for (const s of subscriptions.filter((s) => s.status === 'active' || s.status === 'pending')) {
          await deps.subscriptions.end(
            { ...s, status: 'opted-out', endedAt: now.toISOString(), endedBy: 'sms' },
            s.status,
          );
        }
        return { reply: keywordReply(language, 'stopped', utilityName), outcome: 'processed' };
      }
      let refused = 0;
      // Newest first: where two compete for one (account, phone), the latest sign-up wins.
      const stopped = subscriptions
        .filter((s) => s.status === 'opted-out' && s.verifiedAt)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      for (const s of stopped) {
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
    case 'reading':
      return {
        ...(await reading(deps, phone, sms, command, language, replyContext(deps, utilityName))),
        outcome: 'processed',
      };
    case 'invalid':
      return {
        reply: readingReply(language, command.problem, replyContext(deps, utilityName)),
        outcome: 'processed',
      };
    case 'help':
      return { reply: readingReply(language, 'help', replyContext(deps, utilityName)), outcome: 'processed' };
    case 'bill':
      return {
        reply: await billReply(deps, phone, command.accountNumber, language, utilityName),
        outcome: 'processed',
      };
  }
}

/** The examples every error reply shows, built from the utility's own account format and separator. */
function replyContext(deps: InboundDeps, utilityName: string): ReplyContext {
  const { config } = deps;
  const separator = config.readings.separators[0] ?? ' ';
  const account = config.accountNumber.example;
  const twoTariff = config.meterKinds.some((k) => k.registers.length === 2);
  return {
    utilityName,
    examples: {
      single: [account, '1234'].join(separator),
      ...(twoTariff ? { twoTariff: [account, '1234', '187'].join(separator) } : {}),
    },
    window: config.readings.window,
  };
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
      messageId: sms.messageId,
      ...(command.email ? { email: command.email } : {}),
    });
    const confirmation = result.reading.email ? { confirmation: { accepted: result, language } } : {};
    if (result.flagged) {
      return { reply: localize(deps.config, deps.config.readings.leakCheckText, language), ...confirmation };
    }
    // As the utility's source says: an accepted reading gets no reply, unless configured.
    return deps.config.readings.replyOnSuccess
      ? { reply: readingReply(language, 'accepted', context), ...confirmation }
      : confirmation;
  } catch (error) {
    if (!(error instanceof ReadingRejected) || !isReadingReplyKind(error.type)) throw error;
    const extra = error.extensions as {
      registers?: string[];
      digits?: number;
      value?: number;
      previous?: number;
    };
    return {
      reply: readingReply(language, error.type, context, {
        account: command.accountNumber,
        count: extra.registers?.length ?? 0,
        digits: extra.digits ?? 0,
        value: extra.value ?? 0,
        previous: extra.previous ?? 0,
      }),
    };
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
  const context = replyContext(deps, utilityName);
  const registered = await deps.accounts.accountsOfPhone(phone);
  const account = accountNumber ?? (registered.length === 1 ? registered[0] : undefined);
  if (!account || !registered.includes(account)) {
    return readingReply(language, 'phone-not-registered', context, { account: accountNumber ?? '' });
  }
  const [latest] = (await deps.bills.list(account, { limit: 1 })).bills;
  if (!latest) return readingReply(language, 'no-bill', context);
  return billSummaryText(language, {
    utilityName,
    period: latest.period,
    amount: formatMoney(latest.amountDue, latest.currency, deps.config.locale),
    dueDate: latest.dueDate,
    status: effectiveStatus(latest, localDate(deps.clock.now(), deps.config.timeZone)),
  });
}
