// The SMS delivery events queue locally: gateway reports to the in-process queue, and the local carrier's events.
import type { Clock, DeliveryEventQueue, SmsDeliveryEvent, SmsMessage } from '#app/ports';
import { endUserMessagingEventFor, gatewayDeliveryBody } from '#contracts/sms-delivery-event';

type QueueLike = { send(body: string): Promise<unknown> };

export class LocalDeliveryEventQueue implements DeliveryEventQueue {
  constructor(private readonly queue: QueueLike) {}

  /** Resolves once the consumer has processed (or dead-lettered) it. */
  async enqueue(event: SmsDeliveryEvent): Promise<void> {
    await this.queue.send(gatewayDeliveryBody(event));
  }
}

/**
 * The local carrier's verdict on a phone: every phone ending in 3 is switched off, so its SMS fail as unreachable;
 * the others are delivered. Fixed, so a local run's report is the same every time.
 */
export function isLocalUnreachable(phone: string): boolean {
  return phone.endsWith('3');
}

/**
 * The carrier behind the local SMS gateway: for each SMS it sent, the delivery event End User Messaging's
 * configuration set would publish (raw message delivery, as the stack subscribes the queue). The events go to the
 * queue only once `settled` (the senders idle): in AWS they come seconds after the send, when the notice is
 * recorded, and a local run should show the same.
 */
export class LocalCarrier {
  private readonly pending: string[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly queue: QueueLike,
    private readonly clock: Clock,
    private readonly settled: () => Promise<void>,
  ) {}

  /** Called by the local SMS gateway after each SMS it sent (not for a repeated idempotency key). */
  sent(message: SmsMessage, messageId: string): void {
    const event = endUserMessagingEventFor({
      eventType: isLocalUnreachable(message.to) ? 'TEXT_UNREACHABLE' : 'TEXT_DELIVERED',
      messageId,
      context: message.idempotencyKey
        ? { purpose: message.purpose, notice: message.idempotencyKey }
        : { purpose: message.purpose },
      at: this.clock.now(),
    });
    this.pending.push(JSON.stringify(event));
    this.flush();
  }

  /** Resolves once every event reported so far has been consumed. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = (async () => {
      while (this.pending.length > 0) {
        await this.settled();
        await Promise.all(this.pending.splice(0).map((body) => this.queue.send(body)));
      }
    })().finally(() => {
      this.flushing = undefined;
      // An event reported after the last round began its wait would otherwise stay behind.
      if (this.pending.length > 0) this.flush();
    });
  }
}
