// What each outbound message is for, and which of the resident's choices (opt-outs, quiet hours) hold it back.

/** Why a message goes out: one-time codes, replies to an inbound SMS, reading confirmations, notices. */
export type OutboundPurpose =
  | 'otp'
  | 'reply'
  | 'reading-confirmation'
  | 'notice'
  | 'complaint-update'
  | 'complaint-sla';

interface PurposeRules {
  /** A phone that opted out (STOP, here or at the provider) does not get it. */
  honoursOptOuts: boolean;
  /** Not delivered in the quiet hours (config notices.quietHours): it waits for their end. */
  waitsOutQuietHours: boolean;
}

/**
 * Codes are asked for by the person at that moment, and replies answer what the person just did (a HELP, a
 * reading, even a STOP: its confirmation), so neither an opt-out nor the hour holds them back: a STOP ends notices,
 * not answers. A reading confirmation e-mail answers the resident's own reading. Only notices, which nobody asked
 * for just now, honour opt-outs and wait out the quiet hours (their runs hold them: notice-runs.ts).
 */
const RULES = {
  otp: { honoursOptOuts: false, waitsOutQuietHours: false },
  reply: { honoursOptOuts: false, waitsOutQuietHours: false },
  'reading-confirmation': { honoursOptOuts: false, waitsOutQuietHours: false },
  notice: { honoursOptOuts: true, waitsOutQuietHours: true },
  // The phone a complaint names is not verified: anyone can type anyone's number with consent ticked. A phone that
  // sent STOP is therefore left alone, and nobody is waiting for a complaint's news at night.
  'complaint-update': { honoursOptOuts: true, waitsOutQuietHours: true },
  // Staff-facing: the office's duty phone is told of a missed deadline at any hour.
  'complaint-sla': { honoursOptOuts: false, waitsOutQuietHours: false },
} as const satisfies Record<OutboundPurpose, PurposeRules>;

/** Whether a message for this purpose is withheld from a phone that opted out. */
export function honoursOptOuts(purpose: OutboundPurpose): boolean {
  return RULES[purpose].honoursOptOuts;
}

/** The purposes delivered at any hour, opted out or not: exactly those the rules exempt from both. */
type AnswerPurpose = {
  [P in OutboundPurpose]: (typeof RULES)[P] extends { honoursOptOuts: false; waitsOutQuietHours: false }
    ? P
    : never;
}[OutboundPurpose];

/**
 * What the outbound queue carries. Its sender sends at once, at any hour and to any domestic phone, so only purposes
 * the rules exempt belong here: a notice put in this list does not compile (notices wait in their runs instead).
 */
export const QUEUED_PURPOSES = [
  'otp',
  'reply',
  'reading-confirmation',
  'complaint-sla',
  'complaint-update',
] as const satisfies readonly (AnswerPurpose | HeldByProducerPurpose)[];

/**
 * Purposes that wait out the quiet hours without a notice run: their use case queues them only outside the quiet
 * hours and holds the rest until they end (complaint updates: app/complaint-updates.ts).
 */
type HeldByProducerPurpose = 'complaint-update';

/** Whether a message for this purpose waits for the end of the quiet hours. */
export function waitsOutQuietHours(purpose: OutboundPurpose): boolean {
  return RULES[purpose].waitsOutQuietHours;
}

export type QueuedPurpose = (typeof QUEUED_PURPOSES)[number];
