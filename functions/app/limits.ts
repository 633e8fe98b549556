// Use-case helpers for limits on what strangers can make the utility pay for, counted in the CounterStore.
import type { RateLimitConfig } from '#config/schema';
import { fixedWindow, secondsUntil } from '#domain/rate-window';
import type { Counter, Deps } from './ports.ts';

type CounterDeps = Pick<Deps, 'counters'>;

/** The counter of `scope` for `id` in the fixed window of the limit that contains `now`. */
export function windowCounter(
  scope: string,
  id: string,
  limit: RateLimitConfig,
  now: number,
): { counter: Counter; endsAt: number } {
  const window = fixedWindow(now, limit.windowMinutes);
  return { counter: { scope, id, window: window.id }, endsAt: window.endsAt };
}

/**
 * Counts one against the limit; past it, throws what `refuse` makes of the seconds until the window ends (the
 * Retry-After). The count is kept a little past its window, then expires by itself.
 */
export async function count(
  deps: CounterDeps,
  at: { counter: Counter; endsAt: number },
  max: number,
  now: number,
  refuse: (retryAfterSeconds: number) => Error,
): Promise<void> {
  if ((await deps.counters.increment(at.counter, max, at.endsAt + 60_000)) === undefined) {
    throw refuse(secondsUntil(at.endsAt, now));
  }
}
