// Reads a domestic SMS gateway's webhook payload (JSON, or a form in its declared charset) through the utility's field mapping.
import type { InboundGatewayConfig } from '#config/schema';
import { declaredCharset, formFields, jsonText } from './body-text.ts';
import { parseInstant } from './calendar.ts';
import { type FieldProblem, ValidationError } from './errors.ts';
import { gatewaySentAt } from './gateway-time.ts';

/** One inbound SMS as the gateway reported it; the message id is prefixed with the gateway's id. */
export interface GatewayMessage {
  messageId: string;
  from: string;
  to: string;
  body: string;
  sentAt: string;
}

const LIMITS = { messageId: 128, from: 32, to: 32, body: 2000 } as const;

/** A value at a dotted path ("data.msg_id") of a JSON document; undefined when any step is missing. */
export function valueAtPath(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** The body bytes as received, and the Content-Type header that says how to read them. */
export interface GatewayBody {
  bytes: Uint8Array;
  contentType: string | undefined;
}

function undecodable(gateway: InboundGatewayConfig, body: GatewayBody): ValidationError {
  const charset = gateway.format === 'json' ? 'UTF-8' : (declaredCharset(body.contentType) ?? 'UTF-8');
  return new ValidationError(
    `The gateway payload is not valid ${charset} text; declare the charset it is written in.`,
    [],
    'invalid-gateway-payload',
  );
}

/** Reads the payload (JSON or a form, by the gateway's format) into a lookup of its fields by name or dotted path. */
export function fieldsOf(gateway: InboundGatewayConfig, body: GatewayBody): (name: string) => unknown {
  if (gateway.format === 'form') {
    const form = formFields(body.bytes, body.contentType);
    if (!form) throw undecodable(gateway, body);
    return (name) => form.get(name);
  }
  const raw = jsonText(body.bytes, body.contentType);
  if (raw === undefined) throw undecodable(gateway, body);
  let document: unknown;
  try {
    document = JSON.parse(raw);
  } catch (error) {
    throw new ValidationError(
      `The gateway payload is not valid JSON: ${(error as Error).message}`,
      [],
      'invalid-gateway-payload',
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ValidationError('The gateway payload is not a JSON object.', [], 'invalid-gateway-payload');
  }
  return (path) => valueAtPath(document, path);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * When the resident sent it: an ISO 8601 instant, a local "YYYY-MM-DD HH:mm:ss" in the utility's
 * time zone, or Unix time in seconds or milliseconds. Undefined when unreadable.
 */
export function readSentAt(value: unknown, timeZone: string): Date | undefined {
  const raw = text(value)?.trim();
  if (!raw) return undefined;
  if (/^\d{10}$/.test(raw)) return new Date(Number(raw) * 1000);
  if (/^\d{13}$/.test(raw)) return new Date(Number(raw));
  return parseInstant(raw.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'), timeZone);
}

/**
 * Maps the payload onto one message; a missing or oversized field, a JSON number that is not a safe
 * integer (ids are text: send them as strings), or a send time the profile maps but the payload lacks or
 * writes unreadably, is a 400 naming the gateway's field; a send time older than the profile's replay window,
 * or too far ahead of our receipt, a 422. The send time is the gateway's only near our receipt time
 * (gatewaySentAt).
 */
export function readGatewayPayload(
  gateway: InboundGatewayConfig,
  body: GatewayBody,
  receivedAt: Date,
  timeZone: string,
): GatewayMessage {
  const field = fieldsOf(gateway, body);
  const problems: FieldProblem[] = [];
  const read = (part: keyof typeof LIMITS, allowEmpty = false): string => {
    const name = gateway.fields[part];
    const given = field(name);
    // JSON.parse has already rounded such a number (9007199254740993 reads as ...992): two ids would be one.
    if (typeof given === 'number' && !Number.isSafeInteger(given)) {
      problems.push({
        field: `body.${name}`,
        message: 'a number beyond 2^53 or with a fraction: send it as a string',
      });
      return '';
    }
    const value = text(given)?.trim();
    if (value === undefined || (!allowEmpty && value.length === 0)) {
      problems.push({ field: `body.${name}`, message: 'missing' });
    } else if (value.length > LIMITS[part]) {
      problems.push({ field: `body.${name}`, message: `longer than ${LIMITS[part]} characters` });
    }
    return value ?? '';
  };
  const message = {
    messageId: `${gateway.id}:${read('messageId')}`,
    from: read('from'),
    to: read('to'),
    // An empty text is a message too (the consumer ignores it), but the field must be there.
    body: read('body', true),
  };
  const claimed = readMappedSentAt(gateway.fields.sentAt, field, timeZone, problems);
  if (problems.length > 0) {
    throw new ValidationError(
      'The gateway payload lacks fields the mapping needs.',
      problems,
      'invalid-gateway-payload',
    );
  }
  return { ...message, sentAt: gatewaySentAt(claimed, receivedAt, gateway.timestamps).toISOString() };
}

/**
 * The send time at the profile's `sentAt` field, or undefined when the profile maps none. When it maps one,
 * the time is required: a body without it would be ordered by its receipt and never be stale, so a captured
 * delivery could be posted again, once the inbound ledger has forgotten its id, and acted on again.
 */
function readMappedSentAt(
  name: string | undefined,
  field: (name: string) => unknown,
  timeZone: string,
  problems: FieldProblem[],
): Date | undefined {
  if (name === undefined) return undefined;
  const given = field(name);
  const sentAt = readSentAt(given, timeZone);
  if (!sentAt) {
    problems.push({
      field: `body.${name}`,
      message:
        given === undefined || given === null || text(given)?.trim() === ''
          ? 'missing'
          : 'not a time: ISO 8601, "YYYY-MM-DD HH:mm:ss" in the utility\'s time zone, or Unix seconds or milliseconds',
    });
  }
  return sentAt;
}
