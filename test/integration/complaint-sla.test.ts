// The hourly SLA check on DynamoDB Local: a deadline at 10:00 is flagged in the 10:00 run, once, and its office told.
import { beforeEach, describe, expect, it } from 'vitest';
import { flagSlaBreaches, SLA_ALERTS_PER_OFFICE } from '#app/complaint-sla';
import { complaintsSlaSchedule } from '#handlers/schedule/schedules';
import { aComplaint } from '../support/builders.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';

/** The Dasan call centre's desk: the central queue's, and any office's without a contact of its own. */
const CENTRAL_DESK_PHONE = '+821099990120';
/** Jongno-gu's complaints desk in the demo config (the Jungbu waterworks office). */
const JONGNO_PHONE = '+821031461101';

let world: TestWorld;

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
});

const alertsTo = (phone: string) => world.sms.list(phone).filter((m) => m.purpose === 'complaint-sla');
const kst = (hhmm: string, day = '02') => new Date(`2026-12-${day}T${hhmm}:00+09:00`);

describe('the SLA check', () => {
  it('flags every other complaint when one cannot be written, then fails the firing so it is retried', async () => {
    // One complaint's write keeps failing (a record grown too large, say): the other office still hears of its own.
    const broken = aComplaint({ id: 'c-broken', trackingCode: 'BRKN0001' });
    const fine = aComplaint({ id: 'c-fine', trackingCode: 'F1NE0001', district: '11140' });
    for (const c of [broken, fine]) await world.deps.complaints.create(c);
    const complaints = world.deps.complaints;
    const deps = {
      ...world.deps,
      complaints: {
        ...complaints,
        get: complaints.get.bind(complaints),
        getByTrackingCode: complaints.getByTrackingCode.bind(complaints),
        listQueue: complaints.listQueue.bind(complaints),
        listPastDue: complaints.listPastDue.bind(complaints),
        listByAccount: complaints.listByAccount.bind(complaints),
        create: complaints.create.bind(complaints),
        update: async (writes: Parameters<typeof complaints.update>[0]) => {
          if (writes.some((w) => w.complaint.id === 'c-broken'))
            throw new Error('Item size has exceeded the maximum allowed size');
          return complaints.update(writes);
        },
      },
    };
    world.clock.set(kst('10:00'));

    const result = await flagSlaBreaches(deps, kst('10:00'));

    expect(result.flagged).toEqual({ '11140': 1 });
    expect(result.failed).toEqual([
      { trackingCode: 'BRKN0001', error: 'Item size has exceeded the maximum allowed size' },
    ]);
    expect((await world.deps.complaints.get('c-fine'))?.slaBreachedAt).toBe('2026-12-02T01:00:00.000Z');
    await expect(
      complaintsSlaSchedule.run(deps, { name: 'complaints-sla', scheduledAt: kst('10:00') }),
    ).rejects.toThrow(/could not flag .*BRKN0001/);
  });

  it('flags a leak due at 10:00 in the 10:00 run, not at 09:00, and not again at 11:00', async () => {
    // Filed at 10:00 KST on 1 December with a 24-hour SLA: due 10:00 KST on 2 December.
    const leak = aComplaint();
    await world.deps.complaints.create(leak);

    for (const [hour, flaggedBy] of [
      ['09:00', {}],
      ['10:00', { '11110': 1 }],
      ['11:00', {}],
    ] as const) {
      world.clock.set(kst(hour));
      const result = await complaintsSlaSchedule.run(world.deps, {
        name: 'complaints-sla',
        scheduledAt: kst(hour),
      });
      expect(result, hour).toMatchObject({ flagged: flaggedBy });
    }

    const flagged = await world.deps.complaints.get(leak.id);
    expect(flagged?.slaBreachedAt).toBe('2026-12-02T01:00:00.000Z');
    expect(flagged?.history.at(-1)).toEqual({
      at: '2026-12-02T01:00:00.000Z',
      by: { kind: 'system' },
      action: 'sla-breach',
    });
    // Jongno's complaints desk is told, once, in Korean.
    const alerts = alertsTo(JONGNO_PHONE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body).toBe('[민원 기한 초과] K7M2QX9A (누수 신고) 처리 기한이 방금 지났습니다.');
  });

  it('tells the central desk for an office without a contact, how late it is, and leaves the others alone', async () => {
    // Jongno's desk has no alert phone configured (a new district office, say).
    world.deps.config = {
      ...world.deps.config,
      districts: world.deps.config.districts.map(({ complaintsContact: _, ...d }) => d),
    };
    await world.deps.complaints.create(aComplaint({ id: 'late' }));
    await world.deps.complaints.create(
      aComplaint({ id: 'done', trackingCode: 'P4T8W2RA', status: 'resolved' }),
    );
    await world.deps.complaints.create(
      aComplaint({ id: 'later', trackingCode: 'H3N6V1CB', dueAt: '2026-12-02T05:00:00.000Z' }),
    );

    // The check was down overnight and runs again at 13:00 KST: the leak is three hours late.
    const result = await flagSlaBreaches(world.deps, kst('13:00'));

    expect(result).toEqual({ flagged: { '11110': 1 }, alerts: 1 });
    expect(alertsTo(CENTRAL_DESK_PHONE).map((m) => m.body)).toEqual([
      '[민원 기한 초과] K7M2QX9A (누수 신고) 처리 기한이 3시간 지났습니다.',
    ]);
    expect(alertsTo(JONGNO_PHONE)).toEqual([]);
    expect((await world.deps.complaints.get('done'))?.slaBreachedAt).toBeUndefined();
    expect((await world.deps.complaints.get('later'))?.slaBreachedAt).toBeUndefined();
  });

  it('flags a whole backlog but alerts at most 50 one by one, summarising the rest in one SMS', async () => {
    // A storm: 53 leaks in the central desk's queue all fell due before the run.
    const count = SLA_ALERTS_PER_OFFICE + 3;
    for (let i = 0; i < count; i++) {
      await world.deps.complaints.create(
        aComplaint({
          id: `storm-${i}`,
          trackingCode: `QQQQQ${String(i).padStart(3, '0')}`,
          district: 'central',
        }),
      );
    }

    const result = await flagSlaBreaches(world.deps, kst('10:00'));
    const again = await flagSlaBreaches(world.deps, kst('11:00'));

    expect(result).toEqual({ flagged: { central: count }, alerts: SLA_ALERTS_PER_OFFICE + 1 });
    expect(again).toEqual({ flagged: {}, alerts: 0 });
    const alerts = alertsTo(CENTRAL_DESK_PHONE);
    expect(alerts).toHaveLength(SLA_ALERTS_PER_OFFICE + 1);
    expect(alerts.filter((m) => m.body.includes('그 밖에 3건'))).toHaveLength(1);
  });
});
