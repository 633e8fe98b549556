// The local runtime's clock: the given clock (real time, or --now running on), which can be moved forward.
import type { Clock } from '#app/ports';

/**
 * Every local handler, consumer and schedule reads this one clock. It runs on with the clock it wraps; moveTo()
 * shifts it, and it never goes back, so nothing local sees time run backwards (a code issued "after" it expired).
 */
export class MovableClock implements Clock {
  private shiftMs = 0;

  constructor(private readonly base: Clock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.shiftMs);
  }

  /** Moves the clock to `instant`; an instant before now is refused (RangeError). */
  moveTo(instant: Date): void {
    const ahead = instant.getTime() - this.now().getTime();
    if (ahead < 0)
      throw new RangeError(`The clock does not go back (${instant.toISOString()} is in its past)`);
    this.shiftMs += ahead;
  }
}
