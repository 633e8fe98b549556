// Notice runs: one run per (kind, period), started by a schedule or by staff.
import type { Deps } from './ports.ts';

// A placeholder with the planner's signature: the notice planner's use case replaces this file.
export async function startNoticeRun(
  _deps: Pick<Deps, 'clock'>,
  request: { kind: 'bill'; period: string; scheduledAt: Date },
): Promise<{ runId: string; started: boolean }> {
  return { runId: `${request.kind}#${request.period}`, started: true };
}
