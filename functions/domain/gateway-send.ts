// The request a domestic SMS aggregator's send API takes, and its message id in the answer, per the send profile.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { GatewaySendConfig } from '#config/schema';
import { valueAtPath } from './gateway-payload.ts';
import { writeAtPath } from './json-path.ts';

export interface GatewaySendRequest {
  contentType: string;
  body: string;
}

/** "+821012345678" -> "01012345678", "+79123456789" -> "89123456789": national digits with the trunk prefix. */
export function nationalDigits(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) throw new Error('The recipient is not an E.164 phone number');
  return parsed.formatNational().replace(/\D/g, '');
}

function recipient(send: GatewaySendConfig, e164: string): string {
  switch (send.toFormat) {
    case 'e164':
      return e164;
    case 'e164-digits':
      return e164.replace(/^\+/, '');
    case 'national':
      return nationalDigits(e164);
  }
}

/** Puts a value at a dotted path (json-path.ts); two fields on one spot are a fault of the send profile. */
function setAtPath(document: Record<string, unknown>, path: string, value: string): void {
  try {
    writeAtPath(document, path, value);
  } catch {
    throw new Error(`The gateway send profile puts two fields at "${path}"`);
  }
}

/** The POST body for one SMS: our fields and the profile's constants, as nested JSON or a form. */
export function buildGatewaySendRequest(
  send: GatewaySendConfig,
  message: { to: string; body: string },
  reference: string,
): GatewaySendRequest {
  const entries: Array<[string, string]> = [
    [send.fields.to, recipient(send, message.to)],
    [send.fields.from, send.from],
    [send.fields.body, message.body],
    ...(send.fields.reference ? [[send.fields.reference, reference] as [string, string]] : []),
    ...Object.entries(send.constants),
  ];
  const names = new Set<string>();
  for (const [name] of entries) {
    if (names.has(name)) throw new Error(`The gateway send profile puts two fields at "${name}"`);
    names.add(name);
  }
  if (send.format === 'form') {
    return {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      body: new URLSearchParams(entries).toString(),
    };
  }
  const document: Record<string, unknown> = {};
  for (const [path, value] of entries) setAtPath(document, path, value);
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(document) };
}

/** The aggregator's id for the message (at `responseMessageId` in its JSON answer), else our reference. */
export function readGatewayMessageId(
  send: GatewaySendConfig,
  responseText: string,
  reference: string,
): string {
  const path = send.responseMessageId;
  if (!path) return reference;
  let document: unknown;
  try {
    document = JSON.parse(responseText);
  } catch {
    document = undefined;
  }
  const value = valueAtPath(document, path);
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`The SMS gateway's answer lacks the message id field "${path}"`);
}
