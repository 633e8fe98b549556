// AnnouncementTimer locally: one-time timers the runtime's schedule table fires as its clock passes them, each
// putting the same announcement-due message on the local planner queue as EventBridge Scheduler does in AWS.
import type { AnnouncementTimer } from '#app/ports';
import { announcementDueBody } from '#contracts/notice-plan';

/** A one-time firing the local schedule table runs in order with its cron schedules. */
export interface OneOffFiring {
  name: string;
  at: Date;
  fire(): Promise<unknown>;
}

export class LocalAnnouncementTimer implements AnnouncementTimer {
  /** By announcement id: when it fires. Fired ones are gone, as a schedule with ActionAfterCompletion DELETE. */
  private readonly pending = new Map<string, Date>();
  /** Called when a timer is set, so the runtime's real-time timer can wake for it. */
  onChange: () => void = () => {};

  constructor(private readonly sendToPlanner: (body: string) => Promise<unknown>) {}

  async at(announcementId: string, sendAt: Date): Promise<void> {
    this.pending.set(announcementId, sendAt);
    this.onChange();
  }

  /** The timers due in (after, until], oldest first. */
  dueBetween(after: Date, until: Date): OneOffFiring[] {
    return [...this.pending]
      .filter(([, at]) => at.getTime() > after.getTime() && at.getTime() <= until.getTime())
      .sort(([, a], [, b]) => a.getTime() - b.getTime())
      .map(([id, at]) => ({
        name: `announcement-${id}`,
        at,
        fire: async () => {
          this.pending.delete(id);
          await this.sendToPlanner(announcementDueBody(id));
          return { announcementId: id };
        },
      }));
  }
}
