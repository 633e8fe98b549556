// CounterStore in memory: one count per (scope, id, window), with the adapter's conditional write.
import type { Counter, CounterStore } from '#app/ports';

export class MemoryCounters implements CounterStore {
  readonly counts = new Map<string, number>();

  private key(c: Counter) {
    return `${c.scope}|${c.id}|${c.window}`;
  }

  async increment(counter: Counter, max: number) {
    const count = this.counts.get(this.key(counter));
    // The table's condition: no count yet, or one below max.
    if (count !== undefined && count >= max) return undefined;
    this.counts.set(this.key(counter), (count ?? 0) + 1);
    return (count ?? 0) + 1;
  }

  async get(counter: Counter) {
    return this.counts.get(this.key(counter)) ?? 0;
  }

  async check(counter: Counter, max: number) {
    const count = this.counts.get(this.key(counter));
    return count === undefined || count < max;
  }
}
