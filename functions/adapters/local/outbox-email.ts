// The local e-mail outbox: every outbound e-mail is printed (subject line) and kept, newest first.
import type { Clock, EmailMessage, EmailSender } from '#app/ports';
import { Outbox, type Sent } from './outbox.ts';

export type EmailOutboxEntry = Sent<EmailMessage>;

export class LocalEmailOutbox implements EmailSender {
  private readonly outbox: Outbox<EmailMessage>;

  constructor(
    clock: Clock,
    private readonly print: (line: string) => void = () => {},
    capacity = 10_000,
  ) {
    this.outbox = new Outbox(clock, capacity);
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    const entry = this.outbox.add(message);
    this.print(`E-mail -> ${entry.to} [${entry.purpose}] ${entry.subject}`);
    return { messageId: entry.messageId };
  }

  /** Newest first; `to` filters by recipient address (compared case-insensitively). */
  list(to?: string): EmailOutboxEntry[] {
    const all = this.outbox.list();
    return to ? all.filter((entry) => entry.to.toLowerCase() === to.toLowerCase()) : all;
  }
}
