// Complaint statistics: the window a report covers, and counts by status with the median handling time.
import { DateTime } from 'luxon';
import { COMPLAINT_STATUSES, type Complaint, type ComplaintStatus } from './complaint.ts';
import { ValidationError } from './errors.ts';

/** The longest window a report reads: a year, leap day included. */
export const STATS_MAX_DAYS = 366;
/** Without `from`: the 30 days up to `to`. */
const DEFAULT_DAYS = 30;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filing window [from, to) of a report. A date is the utility's local date: `from` from its first instant, `to`
 * through its last (so from=to=2026-12-01 is that whole day); an instant with its offset is taken as it is.
 */
export function statsWindow(
  request: { from?: string; to?: string },
  now: Date,
  timeZone: string,
): { from: Date; to: Date } {
  const to = request.to === undefined ? now : boundOf(request.to, timeZone, 'to');
  const from =
    request.from === undefined
      ? DateTime.fromJSDate(to).minus({ days: DEFAULT_DAYS }).toJSDate()
      : boundOf(request.from, timeZone, 'from');
  if (from.getTime() >= to.getTime()) {
    throw new ValidationError('`from` must come before `to`.', [
      { field: 'query.from', message: 'before to' },
    ]);
  }
  if (to.getTime() - from.getTime() > STATS_MAX_DAYS * 86_400_000) {
    throw new ValidationError(`A report covers at most ${STATS_MAX_DAYS} days.`, [
      { field: 'query.from', message: `at most ${STATS_MAX_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

function boundOf(text: string, timeZone: string, which: 'from' | 'to'): Date {
  if (DATE_ONLY.test(text)) {
    const day = DateTime.fromISO(text, { zone: timeZone });
    if (day.isValid) return (which === 'from' ? day : day.plus({ days: 1 })).toJSDate();
  } else if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const instant = DateTime.fromISO(text, { setZone: true });
    if (instant.isValid) return instant.toJSDate();
  }
  throw new ValidationError(`\`${which}\` is neither a date nor an instant with its offset.`, [
    { field: `query.${which}`, message: 'a date (2026-12-01) or an instant (2026-12-01T09:00:00+09:00)' },
  ]);
}

export interface ComplaintCounts {
  count: number;
  byStatus: Record<ComplaintStatus, number>;
  /** Resolved complaints (not merged duplicates) whose handling time the median is taken over. */
  resolvedCount: number;
  /** Median of resolvedAt - createdAt over them, in hours (one decimal); null when none was resolved. */
  medianHandlingHours: number | null;
}

export function countComplaints(complaints: readonly Complaint[]): ComplaintCounts {
  const byStatus = Object.fromEntries(COMPLAINT_STATUSES.map((s) => [s, 0])) as Record<
    ComplaintStatus,
    number
  >;
  const hours: number[] = [];
  for (const complaint of complaints) {
    byStatus[complaint.status]++;
    // A merged duplicate was closed by the merge, not handled: its time says nothing about the office's.
    if (complaint.status === 'resolved' && complaint.resolvedAt && !complaint.mergedInto) {
      hours.push((Date.parse(complaint.resolvedAt) - Date.parse(complaint.createdAt)) / 3600_000);
    }
  }
  return {
    count: complaints.length,
    byStatus,
    resolvedCount: hours.length,
    medianHandlingHours: hours.length === 0 ? null : Math.round(median(hours) * 10) / 10,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
