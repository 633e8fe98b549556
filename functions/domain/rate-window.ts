// Fixed counting windows for limits: which window an instant falls in, and when it ends.

export interface Window {
  /** The window's number since the epoch, as text (a counter's window label). */
  id: string;
  /** When it ends, epoch ms. */
  endsAt: number;
}

/** The window of `minutes` that contains `now` (windows start at the epoch, so every instance agrees). */
export function fixedWindow(now: number, minutes: number): Window {
  const length = minutes * 60_000;
  const index = Math.floor(now / length);
  return { id: String(index), endsAt: (index + 1) * length };
}

/** Whole seconds until `endsAt`, at least one: a Retry-After value. */
export function secondsUntil(endsAt: number, now: number): number {
  return Math.max(1, Math.ceil((endsAt - now) / 1000));
}
