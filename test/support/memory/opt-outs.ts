// OptOutStore in memory: a phone's state and its events; only a later `at`, or the same message again, replaces it.
import type { OptOutEvent, OptOutStore } from '#app/ports';
import { byKeyOrder } from './order.ts';

export class MemoryOptOuts implements OptOutStore {
  readonly events: OptOutEvent[] = [];
  readonly state = new Map<string, OptOutEvent>();

  async record(event: OptOutEvent) {
    const current = this.state.get(event.phone);
    const again = current?.messageId === event.messageId;
    if (current && !again && byKeyOrder(current.at, event.at) >= 0) return false;
    this.state.set(event.phone, structuredClone(event));
    // The table keys an event by phone, time and message: the same one recorded again is the same item.
    const same = (e: OptOutEvent) =>
      e.phone === event.phone && e.at === event.at && e.messageId === event.messageId;
    if (!this.events.some(same)) this.events.push(structuredClone(event));
    return true;
  }

  async isOptedOut(phone: string) {
    return this.state.get(phone)?.optedOut === true;
  }
}
