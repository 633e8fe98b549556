// The local SMS gateway: every outbound SMS is printed and kept in an outbox, newest first.
import { randomUUID } from 'node:crypto';
import type { Clock, SmsMessage, SmsSender } from '#app/ports';

export interface OutboxEntry extends SmsMessage {
  messageId: string;
  sentAt: string;
}

export class LocalSmsGateway implements SmsSender {
  private readonly outbox: OutboxEntry[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly print: (line: string) => void = () => {},
    private readonly capacity = 10_000,
  ) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const entry: OutboxEntry = {
      ...message,
      messageId: randomUUID(),
      sentAt: this.clock.now().toISOString(),
    };
    this.outbox.unshift(entry);
    if (this.outbox.length > this.capacity) this.outbox.pop();
    this.print(`SMS -> ${entry.to} [${entry.purpose}] ${entry.body}`);
    return { messageId: entry.messageId };
  }

  /** Newest first; `to` filters by recipient (E.164). */
  list(to?: string): OutboxEntry[] {
    return to ? this.outbox.filter((entry) => entry.to === to) : [...this.outbox];
  }
}
