// The local SMS gateway: every outbound SMS is printed and kept in the local outbox (channel "sms"), newest first.
import type { Clock, SmsMessage, SmsSender } from '#app/ports';
import { ChannelOutbox, type OutboxEntry } from './channel-outbox.ts';

export type { OutboxEntry } from './channel-outbox.ts';

export class LocalSmsGateway implements SmsSender {
  /** The outbox this gateway writes to; the local messenger writes to it too, so one list shows both channels. */
  readonly outbox: ChannelOutbox;

  /** Told of each SMS sent (the local carrier's delivery events); none by default. */
  private carrier: { sent(message: SmsMessage, messageId: string): void } | undefined;

  constructor(
    clock: Clock,
    private readonly print: (line: string) => void = () => {},
    capacity = 10_000,
  ) {
    this.outbox = new ChannelOutbox(clock, capacity);
  }

  /** Reports each SMS sent from now on to `carrier`, which answers with its delivery events. */
  reportTo(carrier: { sent(message: SmsMessage, messageId: string): void }): void {
    this.carrier = carrier;
  }

  /** A repeated idempotency key answers the first message id and sends nothing, as a provider honouring it does. */
  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const { messageId, repeated } = this.outbox.add({ ...message, channel: 'sms' });
    if (!repeated) {
      this.print(`SMS -> ${message.to} [${message.purpose}] ${message.body}`);
      this.carrier?.sent(message, messageId);
    }
    return { messageId };
  }

  /** Newest first, SMS and (where the local messenger shares this outbox) messenger; `to` filters by recipient. */
  list(to?: string): OutboxEntry[] {
    return this.outbox.list(to);
  }
}
