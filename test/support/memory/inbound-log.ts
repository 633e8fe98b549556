// InboundLog in memory: one state per inbound message id, with the table ledger's stale-claim rule.
import type { InboundClaim, InboundLog } from '#app/ports';

/** As the table's ledger: a claim older than a minute is taken to be a dead worker's. */
const STALE_CLAIM_MS = 60_000;

export class MemoryInboundLog implements InboundLog {
  /** Also written by MemoryReadings, as the reading store writes the done mark in its own transaction. */
  readonly states = new Map<string, { status: 'in-progress' | 'done'; claimedAt: number }>();

  async claim(messageId: string, now: number): Promise<InboundClaim> {
    const state = this.states.get(messageId);
    if (state?.status === 'done') return 'done';
    if (state && state.claimedAt >= now - STALE_CLAIM_MS) return 'in-progress';
    this.states.set(messageId, { status: 'in-progress', claimedAt: now });
    return 'new';
  }

  async markDone(messageId: string, now: number) {
    if (this.states.has(messageId)) return false;
    this.states.set(messageId, { status: 'done', claimedAt: now });
    return true;
  }

  async complete(messageId: string, now: number) {
    this.states.set(messageId, { status: 'done', claimedAt: now });
  }

  async release(messageId: string) {
    this.states.delete(messageId);
  }
}
