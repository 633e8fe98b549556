// The local SMS gateway: every outbound SMS is printed and kept in an outbox, newest first.
import type { Clock, SmsMessage, SmsSender } from '#app/ports';
import { Outbox, type Sent } from './outbox.ts';

export type OutboxEntry = Sent<SmsMessage>;

export class LocalSmsGateway implements SmsSender {
  private readonly outbox: Outbox<SmsMessage>;

  constructor(
    clock: Clock,
    private readonly print: (line: string) => void = () => {},
    capacity = 10_000,
  ) {
    this.outbox = new Outbox(clock, capacity);
  }

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const entry = this.outbox.add(message);
    this.print(`SMS -> ${entry.to} [${entry.purpose}] ${entry.body}`);
    return { messageId: entry.messageId };
  }

  /** Newest first; `to` filters by recipient (E.164). */
  list(to?: string): OutboxEntry[] {
    return this.outbox.list(to);
  }
}
