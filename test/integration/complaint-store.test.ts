// The complaint store on DynamoDB Local: unique tracking codes, optimistic writes (two staff members at once), and
// the three indexes following a complaint's status, deadline and account.
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoComplaintStore } from '#adapters/dynamo/complaint-store';
import type { Complaint } from '#domain/complaint';
import { createTestTable } from '#test/support/dynamo';

let store: DynamoComplaintStore;

function complaint(over: Partial<Complaint> = {}): Complaint {
  const createdAt = over.createdAt ?? '2026-12-01T01:00:00.000Z';
  return {
    id: `c-${Math.random().toString(36).slice(2)}`,
    trackingCode: 'AB12CD34',
    type: 'leak',
    description: '물이 샙니다.',
    district: '11110',
    routedBy: 'district-code',
    contactConsent: false,
    language: 'ko',
    attributes: { where: 'outdoors' },
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    dueAt: '2026-12-02T01:00:00.000Z',
    duplicates: [],
    possibleDuplicates: [],
    photos: [],
    history: [{ at: createdAt, by: { kind: 'resident' }, action: 'filed' }],
    source: { channel: 'api' },
    version: 1,
    ...over,
  };
}

beforeEach(async () => {
  const table = await createTestTable();
  store = new DynamoComplaintStore(table.client, table.tableName);
});

describe('the complaint store', () => {
  it('writes a complaint once per tracking code and finds it by id and by code', async () => {
    // Two complaints drew the same code: the second is told so and draws again, nothing of it is written.
    const first = complaint({ trackingCode: 'AAAA1111' });
    const second = complaint({ trackingCode: 'AAAA1111' });
    expect(await store.create(first)).toBe('created');
    expect(await store.create(second)).toBe('code-taken');
    expect(await store.get(second.id)).toBeUndefined();
    expect(await store.getByTrackingCode('AAAA1111')).toEqual(first);
    expect(await store.get(first.id)).toEqual(first);
  });

  it('lets only one of two writers of the same version win, and writes a merge of two complaints together', async () => {
    // Two clerks move the same complaint at the same moment: one lands, the other reads again.
    const filed = complaint({ trackingCode: 'BBBB2222' });
    await store.create(filed);
    const assigned: Complaint = { ...filed, status: 'assigned' };
    const rejected: Complaint = { ...filed, status: 'rejected', rejectReason: '중복' };
    expect(await store.update([{ complaint: assigned, expectedVersion: 1 }])).toBe(true);
    expect(await store.update([{ complaint: rejected, expectedVersion: 1 }])).toBe(false);
    expect(await store.get(filed.id)).toMatchObject({ status: 'assigned', version: 2 });

    // A merge whose second complaint changed meanwhile writes neither.
    const other = complaint({ trackingCode: 'CCCC3333' });
    await store.create(other);
    const ok = await store.update([
      { complaint: { ...assigned, duplicates: ['CCCC3333'] }, expectedVersion: 2 },
      { complaint: { ...other, status: 'resolved', mergedInto: 'BBBB2222' }, expectedVersion: 7 },
    ]);
    expect(ok).toBe(false);
    expect((await store.get(filed.id))?.duplicates).toEqual([]);
  });

  it("keeps a district's queues, the SLA watch and the account index in step with the complaint", async () => {
    // Three complaints in Jongno; one moves on, one is flagged past its deadline, one is filed with an account.
    const a = complaint({ trackingCode: 'DDDD0001', createdAt: '2026-12-01T01:00:00.000Z' });
    const b = complaint({
      trackingCode: 'DDDD0002',
      createdAt: '2026-12-01T02:00:00.000Z',
      dueAt: '2026-12-01T05:00:00.000Z',
    });
    const c = complaint({
      trackingCode: 'DDDD0003',
      createdAt: '2026-12-01T03:00:00.000Z',
      accountNumber: '123456789',
    });
    for (const x of [a, b, c]) await store.create(x);

    const received = await store.listQueue('11110', 'received', { limit: 2 });
    expect(received.items.map((x) => x.trackingCode)).toEqual(['DDDD0001', 'DDDD0002']);
    const rest = await store.listQueue('11110', 'received', { limit: 2, cursor: received.cursor });
    expect(rest.items.map((x) => x.trackingCode)).toEqual(['DDDD0003']);
    expect(rest.cursor).toBeUndefined();

    // Filed in [02:00, 03:00): only b.
    const window = await store.listQueue('11110', 'received', {
      limit: 10,
      from: '2026-12-01T02:00:00.000Z',
      to: '2026-12-01T03:00:00.000Z',
    });
    expect(window.items.map((x) => x.trackingCode)).toEqual(['DDDD0002']);

    expect((await store.listPastDue('11110', '2026-12-01T06:00:00.000Z', { limit: 10 })).items).toHaveLength(
      1,
    );
    await store.update([
      { complaint: { ...b, slaBreachedAt: '2026-12-01T06:00:00.000Z' }, expectedVersion: 1 },
    ]);
    expect((await store.listPastDue('11110', '2026-12-01T06:00:00.000Z', { limit: 10 })).items).toEqual([]);

    await store.update([{ complaint: { ...a, status: 'assigned' }, expectedVersion: 1 }]);
    const stillReceived = await store.listQueue('11110', 'received', { limit: 10 });
    expect(stillReceived.items.map((x) => x.trackingCode)).toEqual(['DDDD0002', 'DDDD0003']);
    expect((await store.listQueue('11110', 'assigned', { limit: 10 })).items.map((x) => x.id)).toEqual([
      a.id,
    ]);

    const mine = await store.listByAccount('123456789', '2026-12-01T00:00:00.000Z', 10);
    expect(mine.map((x) => x.id)).toEqual([c.id]);
    expect(await store.listByAccount('123456789', '2026-12-01T04:00:00.000Z', 10)).toEqual([]);
  });
});
