// Metrics locally and in tests: counts each business event by its dimensions (GET /_local/metrics shows them).
import type { BusinessEvent, EventDimensions } from '#app/business-events';
import type { Metrics } from '#app/ports';

export interface CountedEvent {
  event: BusinessEvent;
  dimensions: Record<string, string>;
  count: number;
}

export class CountingMetrics implements Metrics {
  private readonly counts = new Map<string, CountedEvent>();

  count<E extends BusinessEvent>(event: E, dimensions: EventDimensions<E>): void {
    const dims: Record<string, string> = { ...dimensions };
    const key = JSON.stringify([event, Object.entries(dims).sort()]);
    const entry = this.counts.get(key) ?? { event, dimensions: dims, count: 0 };
    entry.count++;
    this.counts.set(key, entry);
  }

  /** How often an event happened, with the given dimensions if any (all of them otherwise). */
  total(event: BusinessEvent, dimensions: Record<string, string> = {}): number {
    let total = 0;
    for (const entry of this.counts.values()) {
      if (entry.event !== event) continue;
      if (Object.entries(dimensions).every(([name, value]) => entry.dimensions[name] === value)) {
        total += entry.count;
      }
    }
    return total;
  }

  list(): CountedEvent[] {
    return [...this.counts.values()].map((entry) => ({ ...entry, dimensions: { ...entry.dimensions } }));
  }
}
