// The local carrier behind `npm start`'s SMS gateway: a delivery event for each SMS sent, once the senders are idle.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { LocalCarrier } from '#adapters/local/local-delivery-events';
import { LocalSmsGateway } from '#adapters/local/outbox-sms';
import { readSmsDeliveryEvent } from '#contracts/sms-delivery-event';

const KEY = 'Qm9va2luZy1ub3RpY2UtaWQtMDEyMzQ1';

function carrierWorld() {
  const clock = new ManualClock(new Date('2026-12-12T01:30:00Z'));
  const bodies: string[] = [];
  let settle: () => void = () => {};
  const senders = { idle: new Promise<void>((resolve) => (settle = resolve)) };
  const carrier = new LocalCarrier({ send: async (body) => bodies.push(body) }, clock, () => senders.idle);
  const gateway = new LocalSmsGateway(clock);
  gateway.reportTo(carrier);
  return { gateway, carrier, bodies, settle };
}

describe('the local carrier', () => {
  it("reports a notice's SMS delivered, as End User Messaging would, only once the senders are idle", async () => {
    // In AWS the event comes seconds later, after the notice is recorded; locally it waits for the senders.
    const { gateway, carrier, bodies, settle } = carrierWorld();
    await gateway.send({ to: '+821078019039', body: '청구서', purpose: 'notice', idempotencyKey: KEY });
    expect(bodies).toEqual([]);

    settle();
    await carrier.idle();

    expect(bodies.map(readSmsDeliveryEvent)).toEqual([
      expect.objectContaining({ source: 'end-user-messaging', key: KEY, report: { status: 'delivered' } }),
    ]);
  });

  it('fails every SMS to a phone ending in 3 as unreachable, and reports a repeated send once', async () => {
    const { gateway, carrier, bodies, settle } = carrierWorld();
    const message = { to: '+821012345673', body: '청구서', purpose: 'notice' as const, idempotencyKey: KEY };
    await gateway.send(message);
    await gateway.send(message);
    settle();
    await carrier.idle();

    expect(bodies.map((body) => readSmsDeliveryEvent(body).report)).toEqual([
      { status: 'failed', reason: 'unreachable' },
    ]);
  });
});
