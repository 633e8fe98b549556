// The notice store's claims on DynamoDB Local: what lets exactly one sender send each notice, and none lose one.
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoNoticeStore } from '#adapters/dynamo/notice-store';
import { type NoticeKey, noticeId } from '#domain/notice';
import { createTestTable, recordDynamoCalls, type TestTable } from '../support/dynamo.ts';

const RUN = { kind: 'bill', ref: '2026-12' } as const;
const KEY: NoticeKey = { ...RUN, accountNumber: '1234567834', phone: '+79123456789' };
const NOTICE = { ...KEY, id: noticeId(KEY), subscriptionId: 'sub-1' };
const T0 = Date.parse('2026-12-12T05:00:00Z');
/** Another subscriber's notice of the same run. */
const noticeFor = (i: number) => {
  const key: NoticeKey = {
    ...KEY,
    accountNumber: String(2_000_000_000 + i),
    phone: `+7912555${String(i).padStart(4, '0')}`,
  };
  return { ...key, id: noticeId(key), subscriptionId: `sub-${i + 10}` };
};
const SENT = {
  status: 'sent',
  channel: 'sms',
  fallback: false,
  providerMessageId: 'p-1',
  parts: 2,
  format: 'SMS',
} as const;
let store: DynamoNoticeStore;
let table: TestTable;

beforeEach(async () => {
  table = await createTestTable();
  store = new DynamoNoticeStore(table.client, table.tableName);
});

describe('a notice claim', () => {
  it('goes to one sender; the others find it in progress, then done once recorded', async () => {
    const claims = await Promise.all([
      store.claim(NOTICE, T0),
      store.claim(NOTICE, T0),
      store.claim(NOTICE, T0),
    ]);
    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.state === 'in-progress')).toHaveLength(2);

    expect(await store.complete(NOTICE.id, T0, RUN, SENT, T0 + 500)).toBe(true);

    expect(await store.claim(NOTICE, T0 + 1000)).toEqual({ state: 'done' });
    // Long after, still done: a notice is never sent again however late its job is redelivered.
    expect(await store.claim(NOTICE, T0 + 10 * 86_400_000)).toEqual({ state: 'done' });
  });

  it('is taken over once its sender has been silent longer than a sender runs, and only the new claim records', async () => {
    // The first sender died after claiming (its Lambda timed out, or the table was unreachable for its record).
    expect(await store.claim(NOTICE, T0)).toEqual({ state: 'claimed', claimedAt: T0 });
    expect(await store.claim(NOTICE, T0 + 30_000)).toEqual({ state: 'in-progress' });
    const later = T0 + 120_000;
    expect(await store.claim(NOTICE, later)).toEqual({ state: 'claimed', claimedAt: later });

    // The first sender wakes up and tries to record: its claim is no longer the one standing.
    expect(await store.complete(NOTICE.id, T0, RUN, SENT, later + 1)).toBe(false);
    expect(await store.complete(NOTICE.id, later, RUN, SENT, later + 2)).toBe(true);
    expect(await store.counts(RUN)).toMatchObject({ sent: 1, smsParts: 2, byChannel: { sms: 1 } });
  });

  it("records a delivery's notices in one write, or none of them when one claim was taken over meanwhile", async () => {
    const OTHER_KEY = { ...KEY, phone: '+79123450000' };
    const other = { ...OTHER_KEY, id: noticeId(OTHER_KEY), subscriptionId: 'sub-2' };
    await store.claim(NOTICE, T0);
    await store.claim(other, T0);
    // Another sender took the second notice over after this one went silent for too long.
    await store.claim(other, T0 + 120_000);
    const both = [
      { id: NOTICE.id, claimedAt: T0, run: RUN, outcome: SENT },
      { id: other.id, claimedAt: T0, run: RUN, outcome: SENT },
    ];

    expect(await store.completeMany(both, T0 + 120_001)).toBe(false);
    expect(await store.get(NOTICE.id)).toMatchObject({ status: 'sending' });
    expect((await store.counts(RUN)).sent).toBe(0);

    expect(await store.completeMany(both.slice(0, 1), T0 + 120_002)).toBe(true);
    expect(
      await store.completeMany(
        [{ ...both[1], claimedAt: T0 + 120_000 } as (typeof both)[number]],
        T0 + 120_003,
      ),
    ).toBe(true);
    expect(await store.counts(RUN)).toMatchObject({ sent: 2, smsParts: 4 });
  });

  it("claims a delivery's ten fresh notices in one write, and finds them done when the delivery comes again", async () => {
    const ten = Array.from({ length: 10 }, (_, i) => noticeFor(i));
    const calls = recordDynamoCalls(table.client);

    const claims = await store.claimMany(ten, T0);

    expect(claims).toEqual(ten.map(() => ({ state: 'claimed', claimedAt: T0 })));
    expect(calls.map((c) => c.operation)).toEqual(['TransactWriteItems']);
    const outcomes = ten.map((notice) => ({ id: notice.id, claimedAt: T0, run: RUN, outcome: SENT }));
    expect(await store.completeMany(outcomes, T0 + 500)).toBe(true);
    expect(await store.claimMany(ten, T0 + 1000)).toEqual(ten.map(() => ({ state: 'done' })));
  });

  it('tells fresh, recorded, stale and live claims apart when a delivery mixes them', async () => {
    // SQS delivered a batch again: the first delivery sent one notice, another sender died holding a claim long
    // ago, a third is sending one right now, and two were never claimed.
    const [fresh, done, stale, live, alsoFresh] = Array.from({ length: 5 }, (_, i) => noticeFor(i));
    if (!fresh || !done || !stale || !live || !alsoFresh) throw new Error('five notices');
    await store.claim(done, T0 - 200_000);
    await store.complete(done.id, T0 - 200_000, RUN, SENT, T0 - 199_000);
    await store.claim(stale, T0 - 120_000);
    await store.claim(live, T0 - 10_000);

    const claims = await store.claimMany([fresh, done, stale, live, alsoFresh], T0);

    expect(claims).toEqual([
      { state: 'claimed', claimedAt: T0 },
      { state: 'done' },
      { state: 'claimed', claimedAt: T0 },
      { state: 'in-progress' },
      { state: 'claimed', claimedAt: T0 },
    ]);
    // The live claim is untouched, and the dead sender's claim can no longer record.
    expect(await store.get(live.id)).toMatchObject({ status: 'sending', claimedAt: T0 - 10_000 });
    expect(await store.complete(stale.id, T0 - 120_000, RUN, SENT, T0 + 1)).toBe(false);
    expect(await store.complete(stale.id, T0, RUN, SENT, T0 + 2)).toBe(true);
  });

  it('claims a notice listed twice in one delivery once', async () => {
    // The planner queued the same job twice (a page read again) and both landed in one batch.
    const claims = await store.claimMany([NOTICE, noticeFor(1), NOTICE], T0);

    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(2);
    expect(claims.filter((c) => c.state === 'in-progress')).toHaveLength(1);
  });

  it('given back after a failed send, is claimed again at once by the next delivery', async () => {
    await store.claim(NOTICE, T0);
    await store.release(NOTICE.id, T0);
    expect(await store.claim(NOTICE, T0 + 1000)).toEqual({ state: 'claimed', claimedAt: T0 + 1000 });
  });

  it('records a skipped notice with its reason, counted by reason', async () => {
    await store.claim(NOTICE, T0);
    await store.complete(
      NOTICE.id,
      T0,
      RUN,
      { status: 'skipped', reason: 'refused', detail: 'BLOCKED' },
      T0 + 1,
    );
    expect(await store.get(NOTICE.id)).toMatchObject({
      status: 'done',
      outcome: 'skipped',
      reason: 'refused',
      detail: 'BLOCKED',
      phone: KEY.phone,
    });
    expect(await store.counts(RUN)).toMatchObject({ sent: 0, skipped: { refused: 1 } });
  });
});

describe('a notice run', () => {
  const RUN_FIELDS = { ...RUN, createdAt: '2026-12-12T05:00:00.000Z', shards: 2 };

  it('is created once; a second start leaves it unless asked to start it again', async () => {
    expect(await store.startRun(RUN_FIELDS, false)).toMatchObject({ started: true, run: { starts: 1 } });
    expect(await store.startRun(RUN_FIELDS, false)).toMatchObject({ started: false, run: { starts: 1 } });
    expect(await store.startRun(RUN_FIELDS, true)).toMatchObject({
      started: true,
      run: { starts: 2, status: 'planning', shardsPlanned: [] },
    });
  });

  it('counts a page once however often it is recorded, and is planned when every shard has read its last page', async () => {
    await store.startRun(RUN_FIELDS, false);
    const page = { start: 1, shard: 0, pageKey: 'first', notices: 10, last: false };
    expect(await store.recordPlannedPage(RUN, page)).toBe(true);
    expect(await store.recordPlannedPage(RUN, page)).toBe(false);
    await store.recordPlannedPage(RUN, { ...page, pageKey: 'second', notices: 3, last: true });
    await store.recordPlannedPage(RUN, { ...page, pageKey: 'second', notices: 3, last: true });
    expect(await store.getRun(RUN)).toMatchObject({ status: 'planning', shardsPlanned: [0] });

    await store.recordPlannedPage(RUN, { ...page, shard: 1, notices: 4, last: true });

    expect(await store.getRun(RUN)).toMatchObject({ status: 'planned', shardsPlanned: [0, 1] });
    expect((await store.counts(RUN)).planned).toBe(17);
  });

  it('does not take a last page of an earlier start for the latest one', async () => {
    await store.startRun(RUN_FIELDS, false);
    await store.startRun(RUN_FIELDS, true);
    await store.recordPlannedPage(RUN, { start: 1, shard: 0, pageKey: 'p', notices: 1, last: true });
    expect(await store.getRun(RUN)).toMatchObject({ starts: 2, shardsPlanned: [] });
  });
});
