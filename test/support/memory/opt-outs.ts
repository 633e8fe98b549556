// OptOutStore in memory: a phone's current state and every event that changed it; only a later `at` replaces it.
import type { OptOutEvent, OptOutStore } from '#app/ports';
import { byKeyOrder } from './order.ts';

export class MemoryOptOuts implements OptOutStore {
  readonly events: OptOutEvent[] = [];
  readonly state = new Map<string, OptOutEvent>();

  async record(event: OptOutEvent) {
    const current = this.state.get(event.phone);
    if (current && byKeyOrder(current.at, event.at) >= 0) return false;
    this.state.set(event.phone, structuredClone(event));
    this.events.push(structuredClone(event));
    return true;
  }

  async isOptedOut(phone: string) {
    return this.state.get(phone)?.optedOut === true;
  }
}
