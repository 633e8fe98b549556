// An in-memory outbox for the local senders: newest first, bounded, filterable by recipient.
import { randomUUID } from 'node:crypto';
import type { Clock } from '#app/ports';

export type Sent<M> = M & { messageId: string; sentAt: string };

export class Outbox<M extends { to: string }> {
  private readonly entries: Array<Sent<M>> = [];

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 10_000,
  ) {}

  add(message: M): Sent<M> {
    const entry: Sent<M> = { ...message, messageId: randomUUID(), sentAt: this.clock.now().toISOString() };
    this.entries.unshift(entry);
    if (this.entries.length > this.capacity) this.entries.pop();
    return entry;
  }

  /** Newest first; `to` filters by recipient. */
  list(to?: string): Array<Sent<M>> {
    return to ? this.entries.filter((entry) => entry.to === to) : [...this.entries];
  }
}
