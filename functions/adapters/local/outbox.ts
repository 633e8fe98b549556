// An in-memory outbox for the local senders (and the local inbox): newest first, bounded, filterable by recipient.
import { randomUUID } from 'node:crypto';
import type { Clock } from '#app/ports';

export type Sent<M> = M & { messageId: string; sentAt: string };

export class Outbox<M extends { to: string }> {
  private readonly entries: Array<Sent<M>> = [];

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 10_000,
  ) {}

  /** `messageId` when the message already has one (a simulated inbound SMS may name its own). */
  add(message: M, messageId: string = randomUUID()): Sent<M> {
    const entry: Sent<M> = { ...message, messageId, sentAt: this.clock.now().toISOString() };
    this.entries.unshift(entry);
    if (this.entries.length > this.capacity) this.entries.pop();
    return entry;
  }

  /** Newest first; `to` filters by recipient. */
  list(to?: string): Array<Sent<M>> {
    return to ? this.entries.filter((entry) => entry.to === to) : [...this.entries];
  }
}
