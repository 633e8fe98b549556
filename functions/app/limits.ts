// Use-case helpers for limits on what strangers can make the utility pay for, counted in the CounterStore.
import type { RateLimitConfig } from '#config/schema';
import { fixedWindow } from '#domain/rate-window';
import type { Counter } from './ports.ts';

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
