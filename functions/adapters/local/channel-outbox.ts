// The local outbox both channels write to (SMS and messenger), newest first, each entry marked with its channel.
import type { Clock, SmsMessage } from '#app/ports';
import { Outbox, type Sent } from './outbox.ts';

/** A template message as the local messenger delivered it; `body` is the filled-in text. */
export interface MessengerOutboxMessage {
  channel: 'messenger';
  to: string;
  /** Messenger messages are notices (bills and announcements): AlimTalk templates are informational only. */
  purpose: 'notice';
  templateKey: string;
  parameters: Record<string, string>;
  body: string;
  idempotencyKey: string;
}

export type OutboxMessage = (SmsMessage & { channel: 'sms' }) | MessengerOutboxMessage;
export type OutboxEntry = Sent<OutboxMessage>;

/**
 * Stands in for providers that honour idempotency keys: a key a channel has seen answers the first message id
 * and keeps nothing new. Keys are per channel, so a notice that falls back from messenger to SMS under the same
 * key is sent by SMS.
 */
export class ChannelOutbox {
  private readonly outbox: Outbox<OutboxMessage>;
  private readonly sentByKey = new Map<string, string>();

  constructor(
    clock: Clock,
    private readonly capacity = 10_000,
  ) {
    this.outbox = new Outbox(clock, capacity);
  }

  /** Keeps the message, unless its channel has seen its idempotency key: `repeated` then, with the first id. */
  add(message: OutboxMessage): { messageId: string; repeated: boolean } {
    const key =
      message.idempotencyKey === undefined ? undefined : `${message.channel} ${message.idempotencyKey}`;
    const first = key === undefined ? undefined : this.sentByKey.get(key);
    if (first !== undefined) return { messageId: first, repeated: true };
    const { messageId } = this.outbox.add(message);
    if (key !== undefined) {
      this.sentByKey.set(key, messageId);
      // As bounded as the entries: the oldest key goes first.
      if (this.sentByKey.size > this.capacity) {
        const oldest = this.sentByKey.keys().next().value;
        if (oldest !== undefined) this.sentByKey.delete(oldest);
      }
    }
    return { messageId, repeated: false };
  }

  /** Newest first; `to` filters by recipient (E.164). */
  list(to?: string): OutboxEntry[] {
    return this.outbox.list(to);
  }
}
