// Reading SMS delivery reports (End User Messaging events, gateway reports) and which report a notice keeps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { type GatewayDeliveryReportsConfig, parseUtilityConfig } from '#config/schema';
import { gatewayDeliveryBody, readSmsDeliveryEvent } from '#contracts/sms-delivery-event';
import { readGatewayDeliveryReport } from '#domain/gateway-delivery-report';
import { noticeId, runCountsOf } from '#domain/notice';
import { deliveryCountsOf, nextDelivery, noticeIdOfKey } from '#domain/notice-delivery';

const ID = noticeId({ kind: 'bill', ref: '2026-12', accountNumber: '1200100000', phone: '+79121000000' });

/** A fixture under test/fixtures/events, its NOTICE_ID placeholder replaced by `key`. */
const fixture = (name: string, key = ID) =>
  readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), 'utf8').replace('NOTICE_ID', key);

/** The body SNS puts on the queue when the subscription keeps the envelope. */
const inEnvelope = (message: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'c0ffee00-0000-4000-8000-000000000001',
    TopicArn: 'arn:aws:sns:ru-central-1:123456789012:delivery-events',
    Message: message,
    Timestamp: '2026-12-12T06:51:01.000Z',
    SignatureVersion: '1',
  });

describe('an End User Messaging delivery event', () => {
  it("names its notice by the Context the notice's SendTextMessage carried, and says delivered", () => {
    expect(readSmsDeliveryEvent(fixture('eum-text-delivered'))).toEqual({
      source: 'end-user-messaging',
      key: ID,
      messageId: '6f1c8e2a-4b7d-4e0f-9a3c-2d5b8e1f7a90',
      report: { status: 'delivered' },
      reportedAt: '2026-12-12T06:51:00.000Z',
    });
  });

  it('reads the same whether the subscription delivers it raw or in its SNS envelope', () => {
    const raw = fixture('eum-text-delivered');
    expect(readSmsDeliveryEvent(inEnvelope(raw))).toEqual(readSmsDeliveryEvent(raw));
  });

  it("is no report yet while the carrier's failure is not final (it retries), and a failure once it is", () => {
    // The carrier was unreachable for a moment; End User Messaging tries again until the message's life ends.
    expect(readSmsDeliveryEvent(fixture('eum-text-carrier-unreachable')).report).toBeUndefined();
    const final = JSON.stringify({ ...JSON.parse(fixture('eum-text-carrier-unreachable')), isFinal: true });
    expect(readSmsDeliveryEvent(final).report).toEqual({ status: 'failed', reason: 'unreachable' });
    expect(readSmsDeliveryEvent(fixture('eum-text-ttl-expired')).report).toEqual({
      status: 'failed',
      reason: 'expired',
    });
  });

  it("names no notice for a code's SMS, whose Context has no notice", () => {
    expect(readSmsDeliveryEvent(fixture('eum-text-delivered-code'))).toMatchObject({
      key: undefined,
      report: { status: 'delivered' },
    });
  });

  it('is refused (the record fails into the dead-letter queue) when it is not an event at all', () => {
    expect(() => readSmsDeliveryEvent('{"eventType":"TEXT_DELIVERED"}')).toThrow();
    expect(() => readSmsDeliveryEvent('not json')).toThrow();
  });
});

describe('a gateway delivery report on the queue', () => {
  it('reads back as the webhook wrote it', () => {
    const event = {
      source: 'gateway' as const,
      key: `${ID}-sms`,
      report: { status: 'failed' as const, reason: 'blocked' as const },
      reportedAt: '2026-12-12T06:51:00.000Z',
    };
    expect(readSmsDeliveryEvent(gatewayDeliveryBody(event))).toEqual({ ...event, messageId: undefined });
  });
});

describe("a message's idempotency key", () => {
  it("names its notice: the notice's id, or `<id>-sms` for the SMS after the messenger", () => {
    expect(noticeIdOfKey(ID)).toBe(ID);
    expect(noticeIdOfKey(`${ID}-sms`)).toBe(ID);
  });

  it("names none for a code's or reply's outbox id, or no key", () => {
    expect(noticeIdOfKey('3f0c2b9e-7a61-4d5e-8c2b-1f0e9d8c7b6a')).toBeUndefined();
    expect(noticeIdOfKey(undefined)).toBeUndefined();
  });
});

describe('which report a notice keeps', () => {
  const delivered = { status: 'delivered' } as const;
  const unreachable = { status: 'failed', reason: 'unreachable' } as const;
  const blocked = { status: 'failed', reason: 'blocked' } as const;

  it('takes the first report', () => {
    expect(nextDelivery(undefined, delivered)).toEqual(delivered);
    expect(nextDelivery(undefined, unreachable)).toEqual(unreachable);
  });

  it('lets a late receipt replace a failure: the phone was switched on within the message life', () => {
    expect(nextDelivery(unreachable, delivered)).toEqual(delivered);
  });

  it('keeps a receipt against any later failure, and the first failure against another', () => {
    expect(nextDelivery(delivered, unreachable)).toBeUndefined();
    expect(nextDelivery(unreachable, blocked)).toBeUndefined();
  });

  it('changes nothing on the same report twice', () => {
    expect(nextDelivery(delivered, delivered)).toBeUndefined();
    expect(nextDelivery(unreachable, unreachable)).toBeUndefined();
  });

  it('moves the run count from the failure reason to delivered, by channel', () => {
    const fields = {
      ...deliveryCountsOf('sms', undefined, unreachable),
    };
    for (const [name, n] of Object.entries(deliveryCountsOf('sms', unreachable, delivered)))
      fields[name] = (fields[name] ?? 0) + n;
    const counts = runCountsOf(fields);
    expect(counts.delivered).toEqual({ sms: 1, messenger: 0 });
    expect(counts.failed).toEqual({ sms: { unreachable: 0 }, messenger: {} });
  });
});

describe("a gateway's delivery report, read through its profile", () => {
  const profile: GatewayDeliveryReportsConfig = {
    fields: {
      reference: 'data.ref_id',
      messageId: 'data.msg_id',
      status: 'data.status',
      reason: 'data.error_code',
      reportedAt: 'data.done_at',
    },
    delivered: ['DELIVERED'],
    failed: ['FAILED', 'EXPIRED'],
    reasons: { '3001': 'unreachable', '3008': 'blocked' },
  };
  const seoul = loadUtilityConfig('seoul-water');
  const [kr] = seoul.channels.sms.inboundGateways;
  if (!kr) throw new Error('Seoul has its gateway');
  const gateway = { ...kr, deliveryReports: profile };
  const receivedAt = new Date('2026-12-12T01:31:00Z');
  const read = (data: Record<string, unknown>) =>
    readGatewayDeliveryReport(
      gateway,
      { bytes: Buffer.from(JSON.stringify({ data })), contentType: 'application/json' },
      receivedAt,
      seoul.timeZone,
    );

  it('maps our reference, its message id, a failure and its reason code', () => {
    expect(
      read({
        ref_id: `${ID}-sms`,
        msg_id: 'KR-77',
        status: 'FAILED',
        error_code: '3008',
        done_at: '2026-12-12 10:30:30',
      }),
    ).toEqual({
      key: `${ID}-sms`,
      messageId: 'KR-77',
      report: { status: 'failed', reason: 'blocked' },
      reportedAt: '2026-12-12T01:30:30.000Z',
    });
  });

  it('takes a code the profile does not know as an unknown failure, and a pending status as no report', () => {
    const base = { ref_id: ID, done_at: '2026-12-12 10:30:30' };
    expect(read({ ...base, status: 'FAILED', error_code: '9999' }).report).toEqual({
      status: 'failed',
      reason: 'unknown',
    });
    expect(read({ ...base, status: 'ACCEPTED' }).report).toBeUndefined();
  });

  it('is a 400 naming the fields when the report names no message or no status', () => {
    expect(() => read({ done_at: '2026-12-12 10:30:30' })).toThrowError(
      expect.objectContaining({
        kind: 'invalid',
        type: 'invalid-gateway-payload',
        problems: [
          { field: 'body.data.ref_id|data.msg_id', message: 'missing: the report names no message' },
          { field: 'body.data.status', message: 'missing' },
        ],
      }),
    );
  });

  it("is a 422 when it was reported longer ago than the gateway's replay window (a captured body posted again)", () => {
    expect(() => read({ ref_id: ID, status: 'DELIVERED', done_at: '2026-12-10 10:30:30' })).toThrowError(
      expect.objectContaining({ kind: 'unprocessable', type: 'stale-gateway-message' }),
    );
  });
});

describe('a delivery-report profile in the config', () => {
  it('must map our reference or the gateway message id, or no report could name its message', () => {
    const raw = JSON.parse(readFileSync(new URL('../../config/seoul-water.json', import.meta.url), 'utf8'));
    raw.channels.sms.inboundGateways[0].deliveryReports = {
      fields: { status: 'data.status' },
      delivered: ['DELIVERED'],
      failed: ['FAILED'],
    };
    expect(() => parseUtilityConfig(raw, 'seoul-water.json')).toThrow(/map "reference" or "messageId"/);
  });
});
