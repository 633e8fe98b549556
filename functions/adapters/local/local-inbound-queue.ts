// The inbound queue locally: hands the message to the in-process queue that feeds the sms-inbound consumer.
import type { GatewaySecrets, InboundQueue, InboundSms } from '#app/ports';
import { gatewayQueueBody } from '#contracts/inbound-sms';

export class LocalInboundQueue implements InboundQueue {
  constructor(private readonly queue: { send(body: string): Promise<unknown> }) {}

  /** Resolves once the consumer has processed (or dead-lettered) it, so replies are in the outbox at once. */
  async enqueue(sms: InboundSms): Promise<void> {
    await this.queue.send(gatewayQueueBody(sms));
  }
}

/** Gateway secrets from a plain map (generated per run by the local runtime, fixed in tests). */
export class StaticGatewaySecrets implements GatewaySecrets {
  constructor(private readonly secrets: Readonly<Record<string, string>>) {}

  async secretOf(gatewayId: string): Promise<string | undefined> {
    return Object.hasOwn(this.secrets, gatewayId) ? this.secrets[gatewayId] : undefined;
  }
}
