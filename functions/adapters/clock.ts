// Clocks: the system clock for AWS, and a clock that starts at a chosen instant and runs on.
import type { Clock } from '#app/ports';

export const systemClock: Clock = { now: () => new Date() };

/** Starts at `start` and advances with real time, so a scenario can be replayed on any day. */
export function startingClock(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offset) };
}

/** A clock that moves only when told: for tests. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
