// Use cases: queue an SMS or an e-mail for the outbound sender, and send one queued message, at most once per claim.
import { createHash, randomUUID } from 'node:crypto';
import type { OutboundJob } from '#contracts/outbound-message';
import {
  type Deps,
  type EmailMessage,
  EmailRefusedError,
  type QueuedEmail,
  type QueuedMessage,
  type QueuedSms,
  SmsRefusedError,
} from './ports.ts';

/** An outbox item outlives any queue delivery of it (SQS keeps a message four days by default). */
const OUTBOX_RETENTION_MS = 5 * 24 * 3600_000;

type QueueDeps = Pick<Deps, 'clock' | 'outbox' | 'outboundQueue'>;

/**
 * Records the SMS and queues its id: the caller returns before any provider is called, so a request answers in
 * the same time whether an SMS goes out or not, and a provider's outage delays the SMS instead of losing it. A
 * decoy is recorded and queued the same way; the sender drops it.
 */
export async function queueSms(
  deps: QueueDeps,
  message: Pick<QueuedSms, 'to' | 'body' | 'purpose'> & {
    decoy?: boolean;
    notAfter?: Date;
    /**
     * A UUID the caller derives from what the message is about (a complaint's update): queued again, it is the same
     * message, stored and sent once. Random otherwise.
     */
    id?: string;
  },
): Promise<void> {
  await enqueue(deps, message.id, (id, queuedAt) => ({
    channel: 'sms',
    id,
    to: message.to,
    body: message.body,
    purpose: message.purpose,
    decoy: message.decoy ?? false,
    queuedAt,
    notAfter: message.notAfter?.toISOString(),
  }));
}

/**
 * Records the SMS now and holds its id until `until` (the end of the quiet hours), when releaseHeldMessages queues
 * it. The text waits in the outbox, whose retention outlasts any night.
 */
export async function holdSms(
  deps: QueueDeps & Pick<Deps, 'heldMessages'>,
  message: Pick<QueuedSms, 'to' | 'body' | 'purpose'> & { id: string },
  until: Date,
): Promise<void> {
  const now = deps.clock.now();
  await deps.outbox.put(
    { channel: 'sms', ...message, decoy: false, queuedAt: now.toISOString() },
    Math.max(now.getTime(), until.getTime()) + OUTBOX_RETENTION_MS,
  );
  await deps.heldMessages.hold(message.id, until.toISOString());
}

/** Held messages queued per run of the schedule page: more wait for its next page. */
const RELEASE_PAGE = 100;

/**
 * Queues every held message whose time has come (the quiet-hours-end schedule), then takes it off the list: one
 * queued twice (a run that stopped between the two) is sent once, as the outbox claims it once.
 */
export async function releaseHeldMessages(
  deps: Pick<Deps, 'clock' | 'heldMessages' | 'outboundQueue'>,
): Promise<number> {
  const now = deps.clock.now().toISOString();
  let released = 0;
  for (;;) {
    const page = await deps.heldMessages.due(now, RELEASE_PAGE);
    for (const held of page) {
      await deps.outboundQueue.enqueue({ kind: 'sms', id: held.id });
      await deps.heldMessages.release(held);
      released++;
    }
    if (page.length < RELEASE_PAGE) return released;
  }
}

/**
 * An outbox id (a UUID in version 5 layout, from SHA-256) named by what the message is about: the same name gives
 * the same id, so the message is stored and sent once however often its use case runs.
 */
export function messageIdOf(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Records the e-mail and queues its id, as for an SMS: no request waits for the e-mail provider. */
export async function queueEmail(deps: QueueDeps, message: EmailMessage): Promise<void> {
  await enqueue(deps, undefined, (id, queuedAt) => ({ channel: 'email', id, queuedAt, ...message }));
}

async function enqueue(
  deps: QueueDeps,
  id: string | undefined,
  item: (id: string, queuedAt: string) => QueuedMessage,
): Promise<void> {
  const now = deps.clock.now();
  const message = item(id ?? randomUUID(), now.toISOString());
  await deps.outbox.put(message, now.getTime() + OUTBOX_RETENTION_MS);
  await deps.outboundQueue.enqueue({ kind: message.channel, id: message.id });
}

/** Thrown when another worker is sending the same message right now: let the queue retry later. */
export class OutboxInProgressError extends Error {
  override name = 'OutboxInProgressError';
}

export type DeliveryOutcome = 'sent' | 'dropped' | 'expired' | 'refused' | 'duplicate' | 'missing';

type DeliveryDeps = Pick<Deps, 'clock' | 'outbox' | 'sms' | 'email'>;

/**
 * Sends a queued message once per claim: a redelivered job finds it done; a decoy, or a code that expired while
 * queued, is dropped unsent; one the provider refuses for good is recorded as refused. Any other failed send (an
 * outage, a throttle) gives the claim back and throws, so the queue delivers the job again, and after
 * maxReceiveCount deliveries moves it to the dead-letter queue. Not exactly once: a worker that dies after the
 * provider's answer but before complete() leaves its claim, which the next delivery takes over once stale and
 * sends again. Every purpose in the outbox is delivered to a phone that opted out, and at the hour it is
 * queued: a complaint update made in the quiet hours is held and queued at their end (holdSms); the abroad guard
 * still holds (the SMS sender checks it) (domain/outbound-purpose.ts).
 * Each SMS outcome is counted (`SmsDelivered`): refused and expired ones are what the operators' alarms watch, as
 * nobody else would notice codes that never arrive. E-mails count `EmailSent`, or `EmailRefused`.
 */
export async function deliverQueued(
  deps: DeliveryDeps & Pick<Deps, 'metrics'>,
  job: OutboundJob,
): Promise<DeliveryOutcome> {
  const { channel, outcome } = await deliver(deps, job);
  if (channel === 'sms') deps.metrics.count('SmsDelivered', { outcome });
  else if (outcome === 'sent') deps.metrics.count('EmailSent', {});
  else if (outcome === 'refused') deps.metrics.count('EmailRefused', {});
  return outcome;
}

async function deliver(
  deps: DeliveryDeps,
  job: OutboundJob,
): Promise<{ channel: OutboundJob['kind']; outcome: DeliveryOutcome }> {
  const now = deps.clock.now();
  const claim = await deps.outbox.claim(job.id, now.getTime());
  if (claim.state !== 'claimed') {
    if (claim.state === 'in-progress') throw new OutboxInProgressError(`Message ${job.id} is being sent`);
    return { channel: job.kind, outcome: claim.state === 'done' ? 'duplicate' : 'missing' };
  }
  const { message } = claim;
  // The item says what it is; the job's kind only counts a message whose item is done or gone.
  const finish = async (outcome: DeliveryOutcome, providerMessageId?: string) => {
    await deps.outbox.complete(
      job.id,
      { outcome: outcome === 'sent' || outcome === 'refused' ? outcome : 'dropped', providerMessageId },
      deps.clock.now().getTime(),
    );
    return { channel: message.channel, outcome };
  };
  if (message.channel === 'sms') {
    if (message.decoy) return finish('dropped');
    if (message.notAfter && now.toISOString() >= message.notAfter) return finish('expired');
  }
  let providerMessageId: string;
  try {
    ({ messageId: providerMessageId } = await send(deps, message));
  } catch (error) {
    // Refused for good (a country the protect configuration blocks, an e-mail SES rejects): recorded, not retried
    // into the DLQ.
    if (error instanceof SmsRefusedError || error instanceof EmailRefusedError) return finish('refused');
    await deps.outbox.release(job.id);
    throw error;
  }
  return finish('sent', providerMessageId);
}

function send(deps: DeliveryDeps, message: QueuedMessage): Promise<{ messageId: string }> {
  if (message.channel === 'sms') {
    return deps.sms.send({ to: message.to, body: message.body, purpose: message.purpose });
  }
  const { to, subject, text, purpose }: QueuedEmail = message;
  return deps.email.send({ to, subject, text, purpose });
}
