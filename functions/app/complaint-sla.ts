// Use case of the hourly SLA check: flag each open complaint past its deadline once, and tell its office by SMS.
import { localize, primaryLanguage } from '#config/schema';
import { CENTRAL_DESK, type Complaint, isOpen } from '#domain/complaint';
import { slaAlertText, slaSummaryText } from '#domain/complaint-texts';
import { messageIdOf, queueSms } from './outbound.ts';
import type { Deps } from './ports.ts';

type SlaDeps = Pick<Deps, 'config' | 'clock' | 'complaints' | 'outbox' | 'outboundQueue'>;

/**
 * SMS alerts per office per run, one per complaint: past it the rest are flagged as well but told in one summary
 * SMS, so a backlog found at once (an outage of the check, a storm) does not flood the duty phone.
 */
export const SLA_ALERTS_PER_OFFICE = 50;
const PAGE = 100;
const MAX_ATTEMPTS = 5;

export interface SlaRunResult {
  /** Complaints flagged in this run, per queue (only queues with any). */
  flagged: Record<string, number>;
  /** Alerts queued: one per complaint up to the bound, plus any summaries. */
  alerts: number;
  /** Complaints that could not be flagged (tracking code and why); the others were flagged all the same. */
  failed?: Array<{ trackingCode: string; error: string }>;
}

/**
 * Flags every open complaint whose deadline is at or before `at` (the firing's time) and not flagged yet: the
 * breach time and a 'sla-breach' history entry, written optimistically. Its office (the district's complaints
 * contact, else the central desk) gets an SMS naming the tracking code, the type and the hours overdue. A flagged
 * complaint leaves the SLA index, so each breach is flagged and told once; the alert is queued before the flag is
 * written, under an id derived from the complaint, so a run retried after a failure between the two sends it once.
 */
export async function flagSlaBreaches(deps: SlaDeps, at: Date): Promise<SlaRunResult> {
  const { config } = deps;
  // The index holds deadlines strictly before its bound: one millisecond on takes in a deadline of exactly `at`.
  const dueBefore = new Date(at.getTime() + 1).toISOString();
  const result: SlaRunResult = { flagged: {}, alerts: 0 };
  for (const district of [...config.districts.map((d) => d.code), CENTRAL_DESK]) {
    const phone = officePhone(config, district);
    let flagged = 0;
    let beyondBound = 0;
    let cursor: string | undefined;
    do {
      const page = await deps.complaints.listPastDue(district, dueBefore, { limit: PAGE, cursor });
      for (const complaint of page.items) {
        // One complaint that cannot be written (or alerted) must not keep every other office from its alerts.
        try {
          const alert = flagged < SLA_ALERTS_PER_OFFICE;
          if (alert) await queueAlert(deps, complaint, phone, at);
          if (await flag(deps, complaint, at)) {
            flagged++;
            if (alert) result.alerts++;
            else beyondBound++;
          }
        } catch (error) {
          result.failed = [
            ...(result.failed ?? []),
            { trackingCode: complaint.trackingCode, error: (error as Error).message },
          ];
        }
      }
      cursor = page.cursor;
    } while (cursor);
    if (beyondBound > 0) {
      await queueSms(deps, {
        id: messageIdOf(`complaint-sla-summary:${district}:${at.toISOString()}`),
        to: phone,
        body: slaSummaryText(primaryLanguage(config), beyondBound),
        purpose: 'complaint-sla',
      });
      result.alerts++;
    }
    if (flagged > 0) result.flagged[district] = flagged;
  }
  return result;
}

/** The office told of a district's breaches: its complaints contact, or the central desk where it has none. */
function officePhone(config: Deps['config'], district: string): string {
  const contact = config.districts.find((d) => d.code === district)?.complaintsContact;
  return (contact ?? config.complaints.centralDesk).alertPhone;
}

async function queueAlert(deps: SlaDeps, complaint: Complaint, phone: string, at: Date): Promise<void> {
  const { config } = deps;
  const language = primaryLanguage(config);
  const type = config.complaints.types.find((t) => t.code === complaint.type);
  await queueSms(deps, {
    id: messageIdOf(`complaint-sla:${complaint.id}`),
    to: phone,
    body: slaAlertText(language, {
      trackingCode: complaint.trackingCode,
      typeName: type ? localize(config, type.name, language) : complaint.type,
      hoursOverdue: Math.max(0, Math.floor((at.getTime() - Date.parse(complaint.dueAt)) / 3600_000)),
    }),
    purpose: 'complaint-sla',
  });
}

/** Writes the flag; re-reads after a lost race. False when it turned out closed or flagged meanwhile. */
async function flag(deps: SlaDeps, found: Complaint, at: Date): Promise<boolean> {
  let complaint: Complaint | undefined = found;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && complaint; attempt++) {
    if (!isOpen(complaint.status) || complaint.slaBreachedAt) return false;
    const stamp = at.toISOString();
    const next: Complaint = {
      ...complaint,
      slaBreachedAt: stamp,
      history: [...complaint.history, { at: stamp, by: { kind: 'system' }, action: 'sla-breach' }],
    };
    if (await deps.complaints.update([{ complaint: next, expectedVersion: complaint.version }])) return true;
    complaint = await deps.complaints.get(found.id);
  }
  return false;
}
