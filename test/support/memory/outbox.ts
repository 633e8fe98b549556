// OutboxStore in memory: one record per queued SMS or e-mail, claimed once, with the table's stale-claim rule.
import type { OutboxClaim, OutboxStore, QueuedMessage } from '#app/ports';

/** As the table's outbox: a claim older than a minute is taken to be a dead worker's. */
const STALE_CLAIM_MS = 60_000;

interface OutboxRecord {
  status: 'queued' | 'sending' | 'done';
  /** Absent once done: the text (a code, perhaps) is not kept after it has gone. */
  message?: QueuedMessage;
  claimedAt?: number;
  outcome?: 'sent' | 'dropped' | 'refused';
  providerMessageId?: string;
  completedAt?: number;
}

export class MemoryOutbox implements OutboxStore {
  readonly records = new Map<string, OutboxRecord>();

  async put(message: QueuedMessage) {
    // As the table's conditional put: a message stored already is left as it is.
    if (this.records.has(message.id)) return;
    this.records.set(message.id, { status: 'queued', message: structuredClone(message) });
  }

  async claim(id: string, now: number): Promise<OutboxClaim> {
    const record = this.records.get(id);
    if (!record) return { state: 'missing' };
    const free =
      record.status === 'queued' ||
      (record.status === 'sending' &&
        record.claimedAt !== undefined &&
        record.claimedAt < now - STALE_CLAIM_MS);
    if (!free || !record.message) return { state: record.status === 'done' ? 'done' : 'in-progress' };
    record.status = 'sending';
    record.claimedAt = now;
    return { state: 'claimed', message: structuredClone(record.message) };
  }

  /** As the table's unconditional update: a record is marked done whatever its state, created if it is gone. */
  async complete(
    id: string,
    result: { outcome: 'sent' | 'dropped' | 'refused'; providerMessageId?: string },
    now: number,
  ) {
    const record = this.records.get(id) ?? { status: 'done' };
    record.status = 'done';
    record.outcome = result.outcome;
    if (result.providerMessageId) record.providerMessageId = result.providerMessageId;
    record.completedAt = now;
    delete record.message;
    this.records.set(id, record);
  }

  async release(id: string) {
    const record = this.records.get(id);
    if (record?.status !== 'sending') return;
    record.status = 'queued';
    delete record.claimedAt;
  }
}
