// The outbound SMS queue's message contract: the id of an outbox item, nothing a person could be recognised by.
import { z } from 'zod';

export const OUTBOUND_SMS_JOB = {
  name: 'outbound.sms',
  version: 1,
  schema: z.strictObject({ v: z.literal(1), kind: z.literal('sms'), id: z.uuid() }),
} as const;

export type OutboundSmsJob = { id: string };

/** The queue message body for an outbox item. */
export function outboundSmsBody(job: OutboundSmsJob): string {
  const message: z.infer<typeof OUTBOUND_SMS_JOB.schema> = { v: 1, kind: 'sms', id: job.id };
  return JSON.stringify(message);
}

/** Reads a queue message body back; throws a readable error for anything else. */
export function readOutboundSmsJob(body: string): OutboundSmsJob {
  const job = OUTBOUND_SMS_JOB.schema.parse(JSON.parse(body));
  return { id: job.id };
}
