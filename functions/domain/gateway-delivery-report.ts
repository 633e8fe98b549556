// Reads a domestic SMS gateway's delivery report through its profile: which message, delivered or failed, and why.
import type { GatewayDeliveryReportsConfig, InboundGatewayConfig } from '#config/schema';
import { type FieldProblem, ValidationError } from './errors.ts';
import { fieldsOf, type GatewayBody, readSentAt } from './gateway-payload.ts';
import { gatewaySentAt } from './gateway-time.ts';
import type { DeliveryReport } from './notice-delivery.ts';

/** One report as the gateway made it: the message it names, and what it says (undefined: neither outcome). */
export interface GatewayDeliveryReport {
  /** Our reference (the idempotency key the SMS was sent with), when the profile maps it and the report has it. */
  key?: string;
  messageId?: string;
  report?: DeliveryReport;
  /** When the gateway reported it, or our receipt when it says no time (or one too far off to order by). */
  reportedAt: string;
}

const MAX_ID = 128;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** The report a status (and reason code) stands for in the profile; undefined for a status that is not final. */
export function deliveryReportOf(
  profile: GatewayDeliveryReportsConfig,
  status: string,
  reason: string | undefined,
): DeliveryReport | undefined {
  if (profile.delivered.includes(status)) return { status: 'delivered' };
  if (!profile.failed.includes(status)) return undefined;
  return { status: 'failed', reason: profile.reasons[reason ?? status] ?? 'unknown' };
}

/**
 * Maps the payload onto one report. A report must name its message (the mapped reference or message id) and its
 * status, or it is a 400 naming the gateway's fields; a report time the profile maps must be readable (400), and
 * is held to the gateway's replay window like its inbound SMS (422 when stale or too far ahead).
 */
export function readGatewayDeliveryReport(
  gateway: InboundGatewayConfig & { deliveryReports: GatewayDeliveryReportsConfig },
  body: GatewayBody,
  receivedAt: Date,
  timeZone: string,
): GatewayDeliveryReport {
  const profile = gateway.deliveryReports;
  const field = fieldsOf(gateway, body);
  const problems: FieldProblem[] = [];
  const read = (name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const value = text(field(name));
    if (value !== undefined && value.length > MAX_ID) {
      problems.push({ field: `body.${name}`, message: `longer than ${MAX_ID} characters` });
    }
    return value;
  };
  const key = read(profile.fields.reference);
  const messageId = read(profile.fields.messageId);
  const status = read(profile.fields.status);
  const reason = read(profile.fields.reason);
  if (key === undefined && messageId === undefined) {
    const names = [profile.fields.reference, profile.fields.messageId].filter((name) => name !== undefined);
    problems.push({ field: `body.${names.join('|')}`, message: 'missing: the report names no message' });
  }
  if (status === undefined) problems.push({ field: `body.${profile.fields.status}`, message: 'missing' });
  let claimed: Date | undefined;
  if (profile.fields.reportedAt !== undefined) {
    claimed = readSentAt(field(profile.fields.reportedAt), timeZone);
    if (!claimed) {
      problems.push({
        field: `body.${profile.fields.reportedAt}`,
        message:
          'missing or not a time: ISO 8601, "YYYY-MM-DD HH:mm:ss" in the utility\'s time zone, or Unix seconds or milliseconds',
      });
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(
      'The delivery report lacks fields the mapping needs.',
      problems,
      'invalid-gateway-payload',
    );
  }
  return {
    key,
    // As the send answer gave it, unprefixed: the notice recorded it so (inbound ids are prefixed for their ledger).
    messageId,
    report: deliveryReportOf(profile, status ?? '', reason),
    reportedAt: gatewaySentAt(claimed, receivedAt, gateway.timestamps).toISOString(),
  };
}
