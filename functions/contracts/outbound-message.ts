// The outbound queue's message contract: the id of an outbox item and its channel, nothing a person could be recognised by.
import { z } from 'zod';

/**
 * Version 1 carried SMS only; version 2 names the channel (SMS or e-mail). Writers write version 2; a version 1
 * body (queued by a function of the previous release while this one was deployed) is still read, as an SMS.
 */
const V1 = z.strictObject({ v: z.literal(1), kind: z.literal('sms'), id: z.uuid() });
const V2 = z.strictObject({ v: z.literal(2), kind: z.enum(['sms', 'email']), id: z.uuid() });

export const OUTBOUND_MESSAGE_JOB = {
  name: 'outbound.message',
  version: 2,
  schema: z.discriminatedUnion('v', [V1, V2]),
} as const;

export type OutboundJob = { kind: 'sms' | 'email'; id: string };

/** The queue message body for an outbox item. */
export function outboundMessageBody(job: OutboundJob): string {
  const message: z.infer<typeof V2> = { v: 2, kind: job.kind, id: job.id };
  return JSON.stringify(message);
}

/** Reads a queue message body back, of either version; throws a readable error for anything else. */
export function readOutboundJob(body: string): OutboundJob {
  const job = OUTBOUND_MESSAGE_JOB.schema.parse(JSON.parse(body));
  return { kind: job.kind, id: job.id };
}
