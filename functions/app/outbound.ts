// Use cases: queue an SMS for the outbound sender, and send one queued SMS, at most once per claim.
import { randomUUID } from 'node:crypto';
import { type Deps, type SmsMessage, SmsRefusedError } from './ports.ts';

/** An outbox item outlives any queue delivery of it (SQS keeps a message four days by default). */
const OUTBOX_RETENTION_MS = 5 * 24 * 3600_000;

/**
 * Records the SMS and queues its id: the caller returns before any provider is called, so a request answers in
 * the same time whether an SMS goes out or not. A decoy is recorded and queued the same way; the sender drops it.
 */
export async function queueSms(
  deps: Pick<Deps, 'clock' | 'outbox' | 'outboundQueue'>,
  message: SmsMessage & { decoy?: boolean; notAfter?: Date },
): Promise<void> {
  const now = deps.clock.now();
  const id = randomUUID();
  await deps.outbox.put(
    {
      id,
      to: message.to,
      body: message.body,
      purpose: message.purpose,
      decoy: message.decoy ?? false,
      queuedAt: now.toISOString(),
      notAfter: message.notAfter?.toISOString(),
    },
    now.getTime() + OUTBOX_RETENTION_MS,
  );
  await deps.outboundQueue.enqueue({ id });
}

/** Thrown when another worker is sending the same SMS right now: let the queue retry later. */
export class SmsInProgressError extends Error {
  override name = 'SmsInProgressError';
}

export type DeliveryOutcome = 'sent' | 'dropped' | 'expired' | 'refused' | 'duplicate' | 'missing';

/**
 * Sends a queued SMS once per claim: a redelivered job finds it done; a decoy, or a code that expired while queued,
 * is dropped unsent; one the provider refuses for good is recorded as refused. Any other failed send gives the claim
 * back and throws, so the queue delivers the job again. Not exactly once: a worker that dies after the provider's
 * answer but before complete() leaves its claim, which the next delivery takes over once stale and sends again.
 * Each outcome is counted (`SmsDelivered`): refused and expired ones are what the operators' alarms watch, as
 * nobody else would notice codes that never arrive.
 */
export async function deliverQueuedSms(
  deps: Pick<Deps, 'clock' | 'outbox' | 'sms' | 'metrics'>,
  id: string,
): Promise<DeliveryOutcome> {
  const outcome = await deliver(deps, id);
  deps.metrics.count('SmsDelivered', { outcome });
  return outcome;
}

async function deliver(deps: Pick<Deps, 'clock' | 'outbox' | 'sms'>, id: string): Promise<DeliveryOutcome> {
  const now = deps.clock.now();
  const claim = await deps.outbox.claim(id, now.getTime());
  if (claim.state !== 'claimed') {
    if (claim.state === 'in-progress') throw new SmsInProgressError(`SMS ${id} is being sent`);
    return claim.state === 'done' ? 'duplicate' : 'missing';
  }
  const { message } = claim;
  if (message.decoy) {
    await deps.outbox.complete(id, { outcome: 'dropped' }, now.getTime());
    return 'dropped';
  }
  if (message.notAfter && now.toISOString() >= message.notAfter) {
    await deps.outbox.complete(id, { outcome: 'dropped' }, now.getTime());
    return 'expired';
  }
  let providerMessageId: string;
  try {
    ({ messageId: providerMessageId } = await deps.sms.send({
      to: message.to,
      body: message.body,
      purpose: message.purpose,
    }));
  } catch (error) {
    // Refused for good (a country the protect configuration blocks): recorded, not retried into the DLQ.
    if (error instanceof SmsRefusedError) {
      await deps.outbox.complete(id, { outcome: 'refused' }, deps.clock.now().getTime());
      return 'refused';
    }
    await deps.outbox.release(id);
    throw error;
  }
  await deps.outbox.complete(id, { outcome: 'sent', providerMessageId }, deps.clock.now().getTime());
  return 'sent';
}
