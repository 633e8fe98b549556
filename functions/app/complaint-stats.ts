// Use case: GET /admin/complaints/stats: complaints filed in a window, counted per district and per type.
import { COMPLAINT_STATUSES, type Complaint } from '#domain/complaint';
import { type ComplaintCounts, countComplaints, statsWindow } from '#domain/complaint-stats';
import type { StaffPrincipal } from '#domain/staff';
import { typeNameOf, visibleQueues } from './complaint-workflow.ts';
import type { Deps } from './ports.ts';

/** Complaints read per page of a queue. */
const PAGE = 200;

export interface ComplaintStats {
  from: string;
  to: string;
  /** The queues counted: those the staff member sees. */
  districts: string[];
  total: ComplaintCounts;
  byDistrict: Array<{ district: string } & ComplaintCounts>;
  byType: Array<{ type: string; typeName: string } & ComplaintCounts>;
}

/**
 * Counts the complaints filed in [from, to) in every queue the staff member sees, by status, with the median
 * handling time of the resolved ones, in total, per district and per type. Reads each district's queue of each
 * status over the window (no scan), so a year of a busy utility is many pages: the window is bounded.
 */
export async function complaintStats(
  deps: Pick<Deps, 'config' | 'clock' | 'complaints'>,
  staff: StaffPrincipal,
  request: { from?: string; to?: string },
): Promise<ComplaintStats> {
  const { config } = deps;
  const window = statsWindow(request, deps.clock.now(), config.timeZone);
  const from = window.from.toISOString();
  const to = window.to.toISOString();
  const districts = visibleQueues(config, staff);
  const byDistrict = new Map<string, Complaint[]>();
  for (const district of districts) {
    const filed: Complaint[] = [];
    for (const status of COMPLAINT_STATUSES) {
      let cursor: string | undefined;
      do {
        const page = await deps.complaints.listQueue(district, status, { limit: PAGE, cursor, from, to });
        filed.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
    }
    byDistrict.set(district, filed);
  }
  const all = [...byDistrict.values()].flat();
  const types = [...new Set([...config.complaints.types.map((t) => t.code), ...all.map((c) => c.type)])];
  return {
    from,
    to,
    districts,
    total: countComplaints(all),
    byDistrict: districts.map((district) => ({
      district,
      ...countComplaints(byDistrict.get(district) ?? []),
    })),
    byType: types.map((type) => ({
      type,
      typeName: typeNameOf(config, type),
      ...countComplaints(all.filter((c) => c.type === type)),
    })),
  };
}
