// The request an AlimTalk-style provider takes for one template message, and what its answer means, per the profile.
import type { AlimTalkHttpConfig } from '#config/schema';
import { nationalDigits } from './gateway-send.ts';
import { readAtPath, writeAtPath } from './json-path.ts';

export interface MessengerRequestInput {
  /** E.164. */
  to: string;
  templateCode: string;
  parameters: Record<string, string>;
  text: string;
  idempotencyKey: string;
}

/** The provider's template code for one of our template keys; undefined when the profile maps none. */
export function templateCodeOf(profile: AlimTalkHttpConfig, templateKey: string): string | undefined {
  return Object.hasOwn(profile.templates, templateKey) ? profile.templates[templateKey] : undefined;
}

/** The JSON body for one recipient, laid out as the profile's `request` mapping says. */
export function buildMessengerRequest(profile: AlimTalkHttpConfig, input: MessengerRequestInput): string {
  const { request } = profile;
  const body: Record<string, unknown> = {};
  writeAtPath(body, request.senderKey, profile.senderKey);
  writeAtPath(body, request.templateCode, input.templateCode);
  for (const [path, value] of Object.entries(request.constants)) writeAtPath(body, path, value);

  // One recipient per request: the queue hands the sender one notice at a time, and each has its own key.
  const recipient: Record<string, unknown> = request.recipientList ? {} : body;
  writeAtPath(
    recipient,
    request.recipient,
    profile.recipientFormat === 'national' ? nationalDigits(input.to) : input.to,
  );
  if (request.parameters) {
    const braced = request.parameterKeys === 'braced';
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(input.parameters)) {
      writeAtPath(values, braced ? `#{${key}}` : key, value);
    }
    writeAtPath(recipient, request.parameters, values);
  }
  if (request.text) writeAtPath(recipient, request.text, input.text);
  if (request.reference) writeAtPath(recipient, request.reference, input.idempotencyKey);
  for (const [path, value] of Object.entries(request.recipientConstants)) writeAtPath(recipient, path, value);
  if (request.recipientList) writeAtPath(body, request.recipientList, [recipient]);
  return JSON.stringify(body);
}

/** What one answer of the provider means. */
export type MessengerOutcome =
  | { kind: 'sent'; messageId: string }
  /** The messenger could not deliver it and the provider sends an SMS itself (profile `providerFallback`). */
  | { kind: 'provider-fallback'; messageId: string; code: string }
  /** The idempotency key was used already: the first request went through (its id, if the answer names it). */
  | { kind: 'duplicate'; messageId?: string; code: string }
  | { kind: 'unreachable'; code: string }
  | { kind: 'throttled'; code: string }
  | { kind: 'refused'; code: string; retryable: boolean }
  /** Not an answer we can read: never taken for a success. */
  | { kind: 'unreadable'; reason: string };

/** An id or a code as text: providers write them as strings or numbers. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The result code at the first of the profile's `answer.code` paths that holds one. */
function resultCodeIn(profile: AlimTalkHttpConfig, document: unknown): string | undefined {
  for (const path of profile.answer.code) {
    const code = asText(readAtPath(document, path));
    if (code !== undefined) return code;
  }
  return undefined;
}

/**
 * Reads an answer: the HTTP status first (429 is throttling, 5xx a fault of the provider), then the result code
 * in the body. A success needs a listed success code and a message id; anything else that is not a listed code
 * is a refusal, and a body without a code is unreadable, so a changed answer format never passes for a send.
 */
export function readMessengerAnswer(
  profile: AlimTalkHttpConfig,
  status: number,
  body: string,
): MessengerOutcome {
  const document = parse(body);
  const code = resultCodeIn(profile, document);
  if (status === 429) return { kind: 'throttled', code: code ?? 'http-429' };
  if (status >= 500) return { kind: 'refused', code: `http-${status}`, retryable: true };
  const ok = status >= 200 && status <= 299;
  if (ok && document === undefined) return { kind: 'unreadable', reason: 'the answer is not JSON' };
  if (code === undefined) {
    return ok
      ? { kind: 'unreadable', reason: `the answer has no result code at ${profile.answer.code.join(' or ')}` }
      : { kind: 'refused', code: `http-${status}`, retryable: false };
  }
  const messageId = asText(readAtPath(document, profile.answer.messageId));
  if (ok && profile.answer.successCodes.includes(code)) {
    return messageId
      ? { kind: 'sent', messageId }
      : { kind: 'unreadable', reason: `the answer has no message id at ${profile.answer.messageId}` };
  }
  if (profile.unreachableCodes.includes(code)) {
    if (!profile.providerFallback) return { kind: 'unreachable', code };
    // The provider's SMS is a send like any other: without its id the notice could not be traced or reported.
    return messageId
      ? { kind: 'provider-fallback', messageId, code }
      : { kind: 'unreadable', reason: `the answer has no message id at ${profile.answer.messageId}` };
  }
  if (profile.throttledCodes.includes(code)) return { kind: 'throttled', code };
  if (profile.duplicateCodes.includes(code))
    return messageId ? { kind: 'duplicate', messageId, code } : { kind: 'duplicate', code };
  return { kind: 'refused', code, retryable: profile.retryableCodes.includes(code) };
}
