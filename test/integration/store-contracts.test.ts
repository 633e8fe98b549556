// The store ports' contracts: every case states a rule of the port and checks it the same way against the in-memory
// double and the DynamoDB adapter (on DynamoDB Local), so the doubles the fast tests use cannot drift from the table.
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorCodec } from '#adapters/dynamo/cursor';
import {
  InvalidCursorError,
  type Page,
  type PageRequest,
  type QueuedEmail,
  type QueuedSms,
  type ReadingWriteOptions,
} from '#app/ports';
import type { Reading } from '#domain/reading';
import type { Subscription } from '#domain/subscription';
import { aBill, anAccount, aReading, aSubscription } from '#test/support/builders';
import { createTestTable, dynamoStores } from '#test/support/dynamo';
import { memoryStores, type Stores } from '#test/support/memory-stores';

const implementations: Array<[string, () => Promise<Stores>]> = [
  ['in memory', async () => memoryStores()],
  ['on DynamoDB', async () => dynamoStores(await createTestTable())],
];

const NOW = Date.parse('2026-12-16T05:00:00Z');
const MINUTE = 60_000;
const ACCOUNT = '123456789';
const PHONE = '+821012345678';

/** Every page of a list, walked with the cursors it hands out. */
async function walk<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor === undefined ? { limit } : { limit, cursor });
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return pages;
}

/** The cursors a walk hands out, in order. */
async function cursorsOf(list: (page: PageRequest) => Promise<Page<unknown>>, limit: number) {
  const cursors: string[] = [];
  let page = await list({ limit });
  while (page.cursor !== undefined) {
    cursors.push(page.cursor);
    page = await list({ limit, cursor: page.cursor });
  }
  return cursors;
}

/** Cursors no list hands out: empty, not base64url, not JSON, another format version, too long. */
const garbageCursors = [
  '',
  'not a cursor',
  'bm90IGpzb24',
  Buffer.from(JSON.stringify({ v: 2, k: 'bills', p: { period: '2026-11' } })).toString('base64url'),
  'A'.repeat(500),
];

/** A cursor in the list's envelope whose position has the wrong shape (an extra field, a bad value). */
const misshapen = (list: string, position: unknown) => cursorCodec(list, z.unknown()).encode(position);

/** The options of a window's first reading: no guard yet, and the reading counts. */
const firstOfWindow = (id: string, inboundMessageId?: string) => ({
  supersedes: [],
  expectedCounting: null,
  counting: id,
  count: 1,
  now: NOW,
  ...(inboundMessageId ? { inboundMessageId } : {}),
  countingReading: { values: { total: 123 }, readAt: '2026-12-16', source: 'sms' as const },
  shard: 0,
});

/** The options of a window's second reading, after a first one `r1` that counts. */
const secondOfWindow = (over: Partial<ReadingWriteOptions> = {}): ReadingWriteOptions => ({
  supersedes: [r1],
  expectedCounting: 'r1',
  expectedCount: 1,
  counting: 'r2',
  count: 2,
  now: NOW,
  countingReading: { values: { total: 125 }, readAt: '2026-12-16', source: 'sms' },
  shard: 0,
  ...over,
});

/** Two readings of one window, the second sent an hour after the first. */
const r1 = aReading({ id: 'r1', submittedAt: '2026-12-16T05:00:00.000Z' });
const r2 = aReading({ id: 'r2', submittedAt: '2026-12-16T06:00:00.000Z', values: { total: 125 } });

const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));

describe.each(implementations)('AccountStore %s', (_, stores) => {
  let s: Stores;
  beforeEach(async () => {
    s = await stores();
  });

  it('gives back an account as it was put, and nothing for an account number it does not hold', async () => {
    const account = anAccount({ phones: [PHONE, '+821012340002'] });
    await s.accounts.putMany([account]);
    expect(await s.accounts.get(ACCOUNT)).toEqual(account);
    expect(await s.accounts.get('999999999')).toBeUndefined();
  });

  it('putMany replaces an account: phones no longer listed are no longer registered on it, and reported', async () => {
    expect(await s.accounts.putMany([anAccount({ phones: [PHONE, '+821012340002'] })])).toEqual([]);
    expect(
      await s.accounts.putMany([
        anAccount({ phones: ['+821012340002', '+821012340003'], holderName: '이영희' }),
      ]),
    ).toEqual([{ accountNumber: ACCOUNT, phone: PHONE }]);
    expect(await s.accounts.get(ACCOUNT)).toMatchObject({ holderName: '이영희' });
    expect(await s.accounts.hasPhone(ACCOUNT, PHONE)).toBe(false);
    expect(await s.accounts.hasPhone(ACCOUNT, '+821012340003')).toBe(true);
    expect(await s.accounts.accountsOfPhone(PHONE)).toEqual([]);
    expect(await s.accounts.accountsOfPhone('+821012340003')).toEqual([ACCOUNT]);
  });

  it('putMany reports every removed phone with its account, and nothing for an account put again as it was', async () => {
    const first = anAccount({ accountNumber: '100000001', phones: [PHONE, '+821012340002'] });
    const second = anAccount({ accountNumber: '100000002', phones: [PHONE] });
    await s.accounts.putMany([first, second]);
    expect(await s.accounts.putMany([first, second])).toEqual([]);
    const removed = await s.accounts.putMany([
      { ...first, phones: [] },
      { ...second, phones: ['+821012340003'] },
    ]);
    expect(
      removed.sort((a, b) => `${a.accountNumber}${a.phone}`.localeCompare(`${b.accountNumber}${b.phone}`)),
    ).toEqual([
      { accountNumber: '100000001', phone: '+821012340002' },
      { accountNumber: '100000001', phone: PHONE },
      { accountNumber: '100000002', phone: PHONE },
    ]);
  });

  it('accountsOfPhone names every account the phone is registered on, and only those', async () => {
    await s.accounts.putMany([
      anAccount({ accountNumber: '100000002', phones: [PHONE] }),
      anAccount({ accountNumber: '100000001', phones: ['+821012340002', PHONE] }),
      anAccount({ accountNumber: '100000003', phones: ['+821012340002'] }),
    ]);
    expect((await s.accounts.accountsOfPhone(PHONE)).sort()).toEqual(['100000001', '100000002']);
    expect(await s.accounts.hasPhone('100000003', PHONE)).toBe(false);
    expect(await s.accounts.accountsOfPhone('+821099999999')).toEqual([]);
  });

  it('existing tells which of the numbers asked about are held, once each', async () => {
    await s.accounts.putMany([
      anAccount({ accountNumber: '100000001' }),
      anAccount({ accountNumber: '100000002' }),
    ]);
    expect(await s.accounts.existing(['100000002', '100000009', '100000002'])).toEqual(
      new Set(['100000002']),
    );
    expect(await s.accounts.existing([])).toEqual(new Set());
  });
});

describe.each(implementations)('BillStore %s', (_, stores) => {
  let s: Stores;
  beforeEach(async () => {
    s = await stores();
  });

  it('putMany replaces the bill of the same account and period', async () => {
    await s.bills.putMany([aBill({ period: '2026-11' })]);
    await s.bills.putMany([aBill({ period: '2026-11', status: 'paid' })]);
    expect(await s.bills.get(ACCOUNT, '2026-11')).toEqual(aBill({ period: '2026-11', status: 'paid' }));
    expect((await s.bills.list(ACCOUNT, { limit: 10 })).items).toHaveLength(1);
    expect(await s.bills.get(ACCOUNT, '2026-10')).toBeUndefined();
  });

  it("a walk with the cursors returns each of the account's bills once, newest period first", async () => {
    const periods = ['2026-07', '2026-11', '2026-08', '2026-10', '2026-09'];
    await s.bills.putMany([
      ...periods.map((period) => aBill({ period })),
      aBill({ accountNumber: '987654321', period: '2026-12' }),
    ]);
    const pages = await walk((page) => s.bills.list(ACCOUNT, page), 2);
    expect(pages.map((items) => items.map((b) => b.period))).toEqual([
      ['2026-11', '2026-10'],
      ['2026-09', '2026-08'],
      ['2026-07'],
    ]);
  });

  it('the page that ends the list has no cursor, even when it is full', async () => {
    await s.bills.putMany([aBill({ period: '2026-10' }), aBill({ period: '2026-11' })]);
    expect(await s.bills.list(ACCOUNT, { limit: 2 })).toEqual({
      items: [aBill({ period: '2026-11' }), aBill({ period: '2026-10' })],
    });
    expect(await s.bills.list('987654321', { limit: 2 })).toEqual({ items: [] });
  });

  it("refuses a cursor it did not hand out for bills: garbage, another list's, a misshapen one", async () => {
    await s.accounts.putMany([anAccount()]);
    await s.readings.add(aReading({ id: 'r1', period: '2026-11' }), firstOfWindow('r1'));
    await s.readings.add(aReading({ id: 'r2' }), firstOfWindow('r2'));
    const readingCursor = (await s.readings.list(ACCOUNT, { limit: 1 })).cursor;
    expect(readingCursor).toBeDefined();
    for (const cursor of [
      ...garbageCursors,
      readingCursor ?? '',
      misshapen('bills', { period: '2026-13' }),
      misshapen('bills', { period: '2026-11', id: 'x' }),
    ]) {
      await expect(s.bills.list(ACCOUNT, { limit: 2, cursor }), cursor).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
  });
});

describe.each(implementations)('OtpStore %s', (_, stores) => {
  let s: Stores;
  const code = {
    subject: ACCOUNT,
    phone: PHONE,
    codeHash: 'hash-1',
    expiresAt: NOW + 5 * MINUTE,
    attempts: 0,
  };
  beforeEach(async () => {
    s = await stores();
  });

  it('keeps one code per subject and phone: a new one replaces the earlier, tries and all', async () => {
    await s.otps.put(code, NOW + 10 * MINUTE);
    await s.otps.countAttempt(ACCOUNT, PHONE, 5);
    await s.otps.put({ ...code, codeHash: 'hash-2' }, NOW + 10 * MINUTE);
    expect(await s.otps.get(ACCOUNT, PHONE)).toEqual({ ...code, codeHash: 'hash-2' });
    expect(await s.otps.get(ACCOUNT, '+821012340002')).toBeUndefined();
  });

  it('countAttempt counts tries up to the maximum, then refuses; and refuses where there is no code', async () => {
    await s.otps.put(code, NOW + 10 * MINUTE);
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await s.otps.countAttempt(ACCOUNT, PHONE, 3));
    expect(counts).toEqual([1, 2, 3, undefined]);
    expect((await s.otps.get(ACCOUNT, PHONE))?.attempts).toBe(3);
    expect(await s.otps.countAttempt(ACCOUNT, '+821012340002', 3)).toBeUndefined();
  });

  it('consume deletes the code if it is still the one given: once, for one of concurrent callers', async () => {
    await s.otps.put(code, NOW + 10 * MINUTE);
    expect(await s.otps.consume(ACCOUNT, PHONE, 'another-hash')).toBe(false);
    const results = await Promise.all([1, 2, 3].map(() => s.otps.consume(ACCOUNT, PHONE, 'hash-1')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.otps.get(ACCOUNT, PHONE)).toBeUndefined();
    expect(await s.otps.consume(ACCOUNT, PHONE, 'hash-1')).toBe(false);
  });

  it('a send log is written only by whoever read its current version (version 0: no log yet)', async () => {
    expect(await s.otps.getSendLog(PHONE)).toEqual({ sentAt: [], version: 0 });
    const first = await Promise.all([
      s.otps.putSendLog(PHONE, [NOW], 0, NOW + MINUTE),
      s.otps.putSendLog(PHONE, [NOW + 1], 0, NOW + MINUTE),
    ]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const log = await s.otps.getSendLog(PHONE);
    expect(log.version).toBe(1);
    expect(await s.otps.putSendLog(PHONE, [...log.sentAt, NOW + 2], 1, NOW + MINUTE)).toBe(true);
    expect(await s.otps.putSendLog(PHONE, [NOW + 3], 1, NOW + MINUTE)).toBe(false);
    expect(await s.otps.putSendLog(PHONE, [NOW + 3], 0, NOW + MINUTE)).toBe(false);
    expect(await s.otps.getSendLog(PHONE)).toEqual({ sentAt: [...log.sentAt, NOW + 2], version: 2 });
    expect(await s.otps.getSendLog('+821012340002')).toEqual({ sentAt: [], version: 0 });
  });
});

describe.each(implementations)('InboundLog %s', (_, stores) => {
  let s: Stores;
  beforeEach(async () => {
    s = await stores();
  });

  it('a message is claimed once; while the claim is fresh it is in progress', async () => {
    expect(await s.inbound.claim('in-1', NOW)).toBe('new');
    expect(await s.inbound.claim('in-1', NOW + 1)).toBe('in-progress');
    expect(await s.inbound.claim('in-1', NOW + MINUTE)).toBe('in-progress');
    expect(await s.inbound.claim('in-2', NOW)).toBe('new');
  });

  it("a claim older than 60 s is a dead worker's and is taken again, from then on fresh", async () => {
    await s.inbound.claim('in-1', NOW);
    expect(await s.inbound.claim('in-1', NOW + MINUTE + 1)).toBe('new');
    expect(await s.inbound.claim('in-1', NOW + MINUTE + 2)).toBe('in-progress');
  });

  it('a completed message is done for good, however long after', async () => {
    await s.inbound.claim('in-1', NOW);
    await s.inbound.complete('in-1', NOW + 1);
    expect(await s.inbound.claim('in-1', NOW + 2)).toBe('done');
    expect(await s.inbound.claim('in-1', NOW + 60 * MINUTE)).toBe('done');
    expect(await s.inbound.markDone('in-1', NOW + 60 * MINUTE)).toBe(false);
  });

  it('a released claim is taken again at once', async () => {
    await s.inbound.claim('in-1', NOW);
    await s.inbound.release('in-1');
    expect(await s.inbound.claim('in-1', NOW + 1)).toBe('new');
  });

  it('markDone records a message once: false the second time, and false for one being processed', async () => {
    expect(await s.inbound.markDone('in-1', NOW)).toBe(true);
    expect(await s.inbound.markDone('in-1', NOW + 1)).toBe(false);
    expect(await s.inbound.claim('in-1', NOW + 2)).toBe('done');
    await s.inbound.claim('in-2', NOW);
    expect(await s.inbound.markDone('in-2', NOW + 1)).toBe(false);
  });
});

describe.each(implementations)('OptOutStore %s', (_, stores) => {
  let s: Stores;
  const event = (optedOut: boolean, at: string, messageId = `m-${at}`) => ({
    phone: PHONE,
    optedOut,
    at,
    channel: 'sms' as const,
    keyword: optedOut ? 'STOP' : 'START',
    messageId,
  });
  beforeEach(async () => {
    s = await stores();
  });

  it('a phone nobody opted out is not opted out', async () => {
    expect(await s.optOuts.isOptedOut(PHONE)).toBe(false);
  });

  it('keeps the state of the latest instruction by `at`: an earlier or equally old one arriving later is stale', async () => {
    expect(await s.optOuts.record(event(true, '2026-12-16T05:00:10Z'))).toBe(true);
    expect(await s.optOuts.isOptedOut(PHONE)).toBe(true);
    expect(await s.optOuts.record(event(false, '2026-12-16T05:00:05Z'))).toBe(false);
    expect(await s.optOuts.record(event(false, '2026-12-16T05:00:10Z', 'another'))).toBe(false);
    expect(await s.optOuts.isOptedOut(PHONE)).toBe(true);
    expect(await s.optOuts.record(event(false, '2026-12-16T05:00:11Z'))).toBe(true);
    expect(await s.optOuts.isOptedOut(PHONE)).toBe(false);
    expect(await s.optOuts.isOptedOut('+821012340002')).toBe(false);
  });

  it('takes the same event again as not stale while it is the latest, so a redelivery can finish its work', async () => {
    const stop = event(true, '2026-12-16T05:00:10Z');
    expect(await s.optOuts.record(stop)).toBe(true);
    expect(await s.optOuts.record(stop)).toBe(true);
    expect(await s.optOuts.isOptedOut(PHONE)).toBe(true);
    expect(await s.optOuts.record(event(false, '2026-12-16T05:00:11Z'))).toBe(true);
    expect(await s.optOuts.record(stop)).toBe(false);
    expect(await s.optOuts.isOptedOut(PHONE)).toBe(false);
  });
});

describe.each(implementations)('CounterStore %s', (_, stores) => {
  let s: Stores;
  const counter = { scope: 'code-sms', id: PHONE, window: '2026-12-16' };
  beforeEach(async () => {
    s = await stores();
  });

  it('increment adds one until the count reaches max, then refuses and counts no more', async () => {
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await s.counters.increment(counter, 3, NOW + MINUTE));
    expect(counts).toEqual([1, 2, 3, undefined]);
    expect(await s.counters.get(counter)).toBe(3);
  });

  it('concurrent increments never pass max together', async () => {
    const counts = await Promise.all(
      Array.from({ length: 6 }, () => s.counters.increment(counter, 4, NOW + MINUTE)),
    );
    expect(counts.filter((c) => c !== undefined).sort()).toEqual([1, 2, 3, 4]);
    expect(await s.counters.get(counter)).toBe(4);
  });

  it('counts apart per scope, id and window; a counter never counted is at 0', async () => {
    await s.counters.increment(counter, 5, NOW + MINUTE);
    expect(await s.counters.increment({ ...counter, scope: 'client' }, 5, NOW + MINUTE)).toBe(1);
    expect(await s.counters.increment({ ...counter, id: '+821012340002' }, 5, NOW + MINUTE)).toBe(1);
    expect(await s.counters.increment({ ...counter, window: '2026-12-17' }, 5, NOW + MINUTE)).toBe(1);
    expect(await s.counters.get(counter)).toBe(1);
    expect(await s.counters.get({ ...counter, window: '2026-12-18' })).toBe(0);
  });

  it('check says whether the count is below max and counts nothing', async () => {
    expect(await s.counters.check(counter, 2, NOW + MINUTE)).toBe(true);
    expect(await s.counters.get(counter)).toBe(0);
    expect(await s.counters.increment(counter, 2, NOW + MINUTE)).toBe(1);
    expect(await s.counters.check(counter, 2, NOW + MINUTE)).toBe(true);
    await s.counters.increment(counter, 2, NOW + MINUTE);
    expect(await s.counters.check(counter, 2, NOW + MINUTE)).toBe(false);
    expect(await s.counters.get(counter)).toBe(2);
  });
});

describe.each(implementations)('ReadingStore %s', (_, stores) => {
  let s: Stores;
  /** The stored readings of the account, newest first. */
  const stored = async () => (await s.readings.list(ACCOUNT, { limit: 50 })).items;
  beforeEach(async () => {
    s = await stores();
    await s.accounts.putMany([anAccount()]);
  });

  it('context is undefined for an account that does not exist', async () => {
    expect(await s.readings.context('999999999')).toBeUndefined();
  });

  it("context gives the account, its readings newest first, its bills newest period first, each window's counting reading", async () => {
    const october = aReading({ id: 'r0', period: '2026-11', submittedAt: '2026-11-16T05:00:00.000Z' });
    await s.bills.putMany([aBill({ period: '2026-10' }), aBill({ period: '2026-11' })]);
    await s.readings.add(october, firstOfWindow('r0'));
    await s.readings.add(r1, firstOfWindow('r1'));
    await s.readings.add(r2, secondOfWindow());
    // Another account's bills, readings and windows are no part of it.
    await s.accounts.putMany([anAccount({ accountNumber: '987654321' })]);
    await s.bills.putMany([aBill({ accountNumber: '987654321', period: '2026-11' })]);
    await s.readings.add(
      aReading({ id: 'x', accountNumber: '987654321', meterId: 'WM-2' }),
      firstOfWindow('x'),
    );
    const context = await s.readings.context(ACCOUNT);
    expect(context?.account).toEqual(anAccount());
    expect(context?.readings).toEqual([r2, { ...r1, status: 'superseded' }, october]);
    expect(context?.bills).toEqual([aBill({ period: '2026-11' }), aBill({ period: '2026-10' })]);
    expect(context?.windows).toHaveLength(2);
    expect(context?.windows).toEqual(
      expect.arrayContaining([
        { meterId: 'WM-1', period: '2026-12', readingId: 'r2', count: 2 },
        { meterId: 'WM-1', period: '2026-11', readingId: 'r0', count: 1 },
      ]),
    );
  });

  it("a window's first reading needs no guard; a second 'first' one is a conflict and changes nothing", async () => {
    expect(await s.readings.add(r1, firstOfWindow('r1'))).toBe('added');
    expect(await s.readings.add(r2, firstOfWindow('r2'))).toBe('conflict');
    expect(await stored()).toEqual([r1]);
    expect((await s.readings.context(ACCOUNT))?.windows).toEqual([
      { meterId: 'WM-1', period: '2026-12', readingId: 'r1', count: 1 },
    ]);
  });

  it('a reading whose expectedCounting is no longer what the guard names is a conflict and changes nothing', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    expect(await s.readings.add(r2, secondOfWindow({ expectedCounting: 'r9' }))).toBe('conflict');
    expect(await stored()).toEqual([r1]);
  });

  it('a reading whose expectedCount is no longer what the guard counts is a conflict and changes nothing', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    for (const expectedCount of [0, 2, undefined]) {
      expect(await s.readings.add(r2, secondOfWindow({ expectedCount }))).toBe('conflict');
    }
    expect(await stored()).toEqual([r1]);
    // Of two writers that read the same count, only the first to write stores its reading.
    const late = aReading({ id: 'r0', submittedAt: '2026-12-16T04:00:00.000Z', status: 'superseded' });
    const keep = secondOfWindow({ supersedes: [], counting: 'r1' });
    expect(await s.readings.add(late, keep)).toBe('added');
    expect(await s.readings.add(r2, secondOfWindow())).toBe('conflict');
    expect((await s.readings.context(ACCOUNT))?.windows).toEqual([
      { meterId: 'WM-1', period: '2026-12', readingId: 'r1', count: 2 },
    ]);
  });

  it('a reading to supersede that is not stored is a conflict, and nothing is written', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    const ghost = aReading({ id: 'r0', submittedAt: '2026-12-16T04:00:00.000Z' });
    expect(await s.readings.add(r2, secondOfWindow({ supersedes: [r1, ghost] }))).toBe('conflict');
    expect(await stored()).toEqual([r1]);
  });

  it('add supersedes the readings it is given and names the new counting reading and count, in one write', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    expect(await s.readings.add(r2, secondOfWindow())).toBe('added');
    expect(await stored()).toEqual([r2, { ...r1, status: 'superseded' }]);
    expect((await s.readings.context(ACCOUNT))?.windows).toEqual([
      { meterId: 'WM-1', period: '2026-12', readingId: 'r2', count: 2 },
    ]);
    // The guard moved on: a writer that read it before this one must read again.
    const r3 = aReading({ id: 'r3', submittedAt: '2026-12-16T07:00:00.000Z' });
    expect(await s.readings.add(r3, secondOfWindow({ counting: 'r3' }))).toBe('conflict');
  });

  // The next reading of a window supersedes the reading the guard names, found among the readings of the same
  // read. On DynamoDB that needs a strongly consistent query (an eventually consistent one may return the guard
  // without the reading it names). DynamoDB Local is always consistent, so this holds there either way;
  // test/integration/reading-table.test.ts checks that the adapter asks for a consistent read.
  it('context holds the reading its guard names, right after the write that named it; superseding that one moves the guard on', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    await s.readings.add(r2, secondOfWindow());
    const context = await s.readings.context(ACCOUNT);
    const guard = context?.windows.find((w) => w.meterId === 'WM-1' && w.period === '2026-12');
    const named = context?.readings.find((r) => r.id === guard?.readingId);
    expect(named).toEqual(r2);
    const r3 = aReading({ id: 'r3', submittedAt: '2026-12-16T07:00:00.000Z' });
    const options = {
      supersedes: named ? [named] : [],
      expectedCounting: 'r2',
      expectedCount: guard?.count,
      counting: 'r3',
      count: 3,
      now: NOW,
      countingReading: { values: { total: 123 }, readAt: '2026-12-16', source: 'sms' as const },
      shard: 0,
    };
    expect(await s.readings.add(r3, options)).toBe('added');
    expect((await stored()).filter((r) => r.status !== 'superseded')).toEqual([r3]);
    expect((await s.readings.context(ACCOUNT))?.windows).toEqual([
      { meterId: 'WM-1', period: '2026-12', readingId: 'r3', count: 3 },
    ]);
  });

  it('a reading that does not count leaves the guard naming the counting one, counts it, and is still checked against it', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    const keep = secondOfWindow({ supersedes: [], counting: 'r1' });
    expect(await s.readings.add(r2, keep)).toBe('added');
    expect((await s.readings.context(ACCOUNT))?.windows).toEqual([
      { meterId: 'WM-1', period: '2026-12', readingId: 'r1', count: 2 },
    ]);
    const r3 = aReading({ id: 'r3', submittedAt: '2026-12-16T07:00:00.000Z' });
    const third = { ...keep, expectedCount: 2, count: 3 };
    expect(await s.readings.add(r3, { ...third, expectedCounting: 'r2' })).toBe('conflict');
    expect(await s.readings.add(r3, third)).toBe('added');
  });

  it('the same reading (period, time, id) is stored once: adding it again is a conflict', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    expect(await s.readings.add(r1, secondOfWindow({ supersedes: [], counting: 'r1' }))).toBe('conflict');
    expect(await stored()).toEqual([r1]);
  });

  it('with an inbound message id, add records the message done in the same write; that message again is a duplicate', async () => {
    expect(await s.readings.add(r1, firstOfWindow('r1', 'in-1'))).toBe('added');
    expect(await s.inbound.claim('in-1', NOW + 1)).toBe('done');
    expect(await s.inbound.markDone('in-1', NOW + 1)).toBe(false);
    expect(await s.readings.add(r2, secondOfWindow({ inboundMessageId: 'in-1' }))).toBe('duplicate');
    // A redelivery that also lost the race for the window is still reported as the duplicate it is.
    expect(await s.readings.add(r2, firstOfWindow('r2', 'in-1'))).toBe('duplicate');
    expect(await stored()).toEqual([r1]);
  });

  it('a message marked done by its own refusal is a duplicate when it comes back as a reading', async () => {
    await s.inbound.markDone('in-1', NOW);
    expect(await s.readings.add(r1, firstOfWindow('r1', 'in-1'))).toBe('duplicate');
    expect(await stored()).toEqual([]);
  });

  it("a walk with the cursors returns each of the account's readings once, newest first (period, time, id)", async () => {
    const readings: Reading[] = [];
    for (const [period, meterId, submittedAt, id] of [
      ['2026-10', 'WM-1', '2026-10-17T05:00:00.000Z', 'a'],
      ['2026-11', 'WM-1', '2026-11-16T05:00:00.000Z', 'b'],
      ['2026-11', 'WM-2', '2026-11-16T05:00:00.000Z', 'c'],
      ['2026-12', 'WM-1', '2026-12-15T05:00:00.000Z', 'd'],
      ['2026-12', 'WM-2', '2026-12-16T05:00:00.000Z', 'e'],
    ] as const) {
      const reading = aReading({ id, period, meterId, submittedAt });
      readings.push(reading);
      await s.readings.add(reading, firstOfWindow(id));
    }
    await s.accounts.putMany([anAccount({ accountNumber: '987654321' })]);
    await s.readings.add(aReading({ id: 'x', accountNumber: '987654321' }), firstOfWindow('x'));
    const pages = await walk((page) => s.readings.list(ACCOUNT, page), 2);
    expect(pages.map((items) => items.map((r) => r.id))).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
    expect(pages.flat()).toEqual([...readings].reverse());
  });

  // The billing run reads the reading that counts for each meter of a window by one key, and lists a whole
  // window shard by shard: the guard carries the counting reading's values, date and source.
  it('countingFor gives the counting reading of each meter and period asked, by one key each; others are absent', async () => {
    await s.readings.add(r1, firstOfWindow('r1'));
    await s.readings.add(r2, secondOfWindow());
    const november = aReading({ id: 'r0', period: '2026-11', submittedAt: '2026-11-16T05:00:00.000Z' });
    await s.readings.add(november, {
      ...firstOfWindow('r0'),
      countingReading: { values: { total: 100 }, readAt: '2026-11-16', source: 'import' },
    });
    const found = await s.readings.countingFor([
      { accountNumber: ACCOUNT, meterId: 'WM-1', period: '2026-12' },
      { accountNumber: ACCOUNT, meterId: 'WM-1', period: '2026-11' },
      { accountNumber: ACCOUNT, meterId: 'WM-1', period: '2026-12' },
      { accountNumber: ACCOUNT, meterId: 'WM-9', period: '2026-12' },
    ]);
    expect(byId(found.map((c) => ({ ...c, id: c.readingId })))).toEqual([
      {
        id: 'r0',
        accountNumber: ACCOUNT,
        meterId: 'WM-1',
        period: '2026-11',
        readingId: 'r0',
        values: { total: 100 },
        readAt: '2026-11-16',
        source: 'import',
      },
      {
        id: 'r2',
        accountNumber: ACCOUNT,
        meterId: 'WM-1',
        period: '2026-12',
        readingId: 'r2',
        values: { total: 125 },
        readAt: '2026-12-16',
        source: 'sms',
      },
    ]);
    expect(await s.readings.countingFor([])).toEqual([]);
  });

  it('listCountingForPeriod walks one window period in one shard, by account and meter, each guard once', async () => {
    const accounts = ['100000001', '100000002', '100000003'];
    await s.accounts.putMany(accounts.map((accountNumber) => anAccount({ accountNumber })));
    for (const [i, accountNumber] of accounts.entries()) {
      await s.readings.add(aReading({ id: `a${i}`, accountNumber }), { ...firstOfWindow(`a${i}`), shard: 1 });
    }
    // Another shard and another period are not listed.
    await s.readings.add(r1, firstOfWindow('r1'));
    await s.readings.add(
      aReading({
        id: 'n',
        accountNumber: '100000001',
        period: '2026-11',
        submittedAt: '2026-11-16T05:00:00.000Z',
      }),
      { ...firstOfWindow('n'), shard: 1 },
    );
    const pages = await walk((page) => s.readings.listCountingForPeriod('2026-12', 1, page), 2);
    expect(pages.map((items) => items.map((c) => c.accountNumber))).toEqual([
      [accounts[0], accounts[1]],
      [accounts[2]],
    ]);
    expect(pages.flat()[0]).toEqual({
      accountNumber: '100000001',
      meterId: 'WM-1',
      period: '2026-12',
      readingId: 'a0',
      values: { total: 123 },
      readAt: '2026-12-16',
      source: 'sms',
    });
    expect(
      (await s.readings.listCountingForPeriod('2026-12', 0, { limit: 10 })).items.map((c) => c.readingId),
    ).toEqual(['r1']);
  });

  it("refuses a cursor it did not hand out for readings: garbage, another list's, a misshapen one", async () => {
    await s.bills.putMany([aBill({ period: '2026-10' }), aBill({ period: '2026-11' })]);
    const billCursor = (await s.bills.list(ACCOUNT, { limit: 1 })).cursor;
    expect(billCursor).toBeDefined();
    const position = { period: '2026-12', submittedAt: '2026-12-16T05:00:00.000Z', id: 'r1' };
    for (const cursor of [
      ...garbageCursors,
      billCursor ?? '',
      misshapen('readings', { ...position, submittedAt: 'yesterday' }),
      misshapen('readings', { ...position, id: '' }),
      misshapen('readings', { period: '2026-12' }),
    ]) {
      await expect(s.readings.list(ACCOUNT, { limit: 2, cursor }), cursor).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
  });
});

/** A subscription made active from the month given, as verification makes it. */
const activeOf = (subscription: Subscription, effectiveMonth = '2026-12'): Subscription => ({
  ...subscription,
  status: 'active',
  verifiedAt: '2026-12-16T05:01:00.000Z',
  effectiveMonth,
});
/** Ended (or opted out) from the state given, as cancelling (or STOP) makes it. */
const endedOf = (subscription: Subscription, status: 'ended' | 'opted-out' = 'ended'): Subscription => ({
  ...subscription,
  status,
  endedAt: '2026-12-16T06:00:00.000Z',
  endedBy: 'web',
});
const RETAIN = NOW + 24 * 60 * MINUTE;
const FROM_PENDING = { from: 'pending', maxPhones: 3, shard: 0 } as const;

describe.each(implementations)('SubscriptionStore %s', (_, stores) => {
  let s: Stores;
  beforeEach(async () => {
    s = await stores();
  });
  const pending = async (over: Partial<Subscription>) => {
    const subscription = aSubscription(over);
    await s.subscriptions.createPending(subscription, RETAIN);
    return subscription;
  };
  const active = async (over: Partial<Subscription>, effectiveMonth = '2026-12', shard = 0) => {
    const next = activeOf(await pending(over), effectiveMonth);
    expect(await s.subscriptions.activate(next, { ...FROM_PENDING, shard })).toBe('activated');
    return next;
  };

  it('imports active subscriptions as activation leaves them: listed, indexed, counted against the phones', async () => {
    const imported = [
      activeOf(aSubscription({ id: 'i1', phone: '+821011110001' })),
      activeOf(aSubscription({ id: 'i2', phone: '+821011110002' })),
      activeOf(aSubscription({ id: 'i3', accountNumber: '987654321', phone: '+821011110003' })),
    ];
    await s.subscriptions.importActive(
      imported.map((subscription) => ({ subscription, shard: 0 })),
      3,
    );

    expect(await s.subscriptions.get('i1')).toEqual(imported[0]);
    expect(
      (await s.subscriptions.listForNoticeMonth('2026-12', 0, { limit: 10 })).items.map((x) => x.id),
    ).toEqual(['i1', 'i2', 'i3']);
    expect(
      (await s.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items.map((x) => x.id).sort(),
    ).toEqual(['i1', 'i2']);
    expect((await s.subscriptions.listByPhone('+821011110002')).map((x) => x.id)).toEqual(['i2']);
    // The same phone again, and a fourth phone where three may be: as for any activation.
    const again = activeOf(await pending({ id: 'x1', phone: '+821011110001' }));
    expect(await s.subscriptions.activate(again, FROM_PENDING)).toBe('duplicate');
    await active({ id: 'x2', phone: '+821022220002' });
    const fourth = activeOf(await pending({ id: 'x3', phone: '+821033330003' }));
    expect(await s.subscriptions.activate(fourth, FROM_PENDING)).toBe('too-many-phones');
    // An account that has subscriptions is not imported into.
    await expect(
      s.subscriptions.importActive([{ subscription: activeOf(aSubscription({ id: 'i4' })), shard: 0 }], 3),
    ).rejects.toThrow(/subscriptions already/);
    expect(await s.subscriptions.get('i4')).toBeUndefined();
  });

  it("lists an active subscription among its district's, one shard a page, until it ends", async () => {
    // An outage announcement for one district reads that district's subscribers from the index, nobody else.
    await active({ id: 'd1', phone: '+821011110001', district: 'jongno' }, '2026-12', 1);
    await active({ id: 'd2', phone: '+821011110002', district: 'jongno' }, '2026-12', 1);
    await active(
      { id: 'd3', accountNumber: '987654321', phone: '+821011110003', district: 'mapo' },
      '2026-12',
      1,
    );
    await active({ id: 'd4', accountNumber: '987654321', phone: '+821011110004' }, '2026-12', 1);

    const first = await s.subscriptions.listForDistrict('jongno', 1, { limit: 1 });
    expect(first.items).toEqual([{ id: 'd1', accountNumber: ACCOUNT }]);
    const second = await s.subscriptions.listForDistrict('jongno', 1, { limit: 1, cursor: first.cursor });
    expect(second).toEqual({ items: [{ id: 'd2', accountNumber: ACCOUNT }] });
    expect((await s.subscriptions.listForDistrict('jongno', 0, { limit: 10 })).items).toEqual([]);
    expect((await s.subscriptions.listForDistrict('mapo', 1, { limit: 10 })).items.map((x) => x.id)).toEqual([
      'd3',
    ]);

    const d1 = await s.subscriptions.get('d1');
    if (!d1) throw new Error('d1 is stored');
    expect(
      await s.subscriptions.end({ ...d1, status: 'ended', endedAt: '2026-12-16T06:00:00.000Z' }, 'active'),
    ).toBe(true);
    expect(
      (await s.subscriptions.listForDistrict('jongno', 1, { limit: 10 })).items.map((x) => x.id),
    ).toEqual(['d2']);
  });

  it('gives back a pending subscription as it was created, and nothing for an unknown id', async () => {
    const subscription = await pending({ id: 's1', households: 2 });
    expect(await s.subscriptions.get('s1')).toEqual(subscription);
    expect(await s.subscriptions.get('s9')).toBeUndefined();
  });

  it('keeps a decoy sign-up under its id alone: on no account list, under no phone, and so even once ended', async () => {
    const decoy = await pending({ id: 's1', decoy: true });
    await pending({ id: 's2', createdAt: '2026-12-16T05:05:00.000Z' });
    expect(await s.subscriptions.get('s1')).toEqual(decoy);
    expect((await s.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items.map((x) => x.id)).toEqual([
      's2',
    ]);
    expect((await s.subscriptions.listByPhone(decoy.phone)).map((x) => x.id)).toEqual(['s2']);
    expect(
      await s.subscriptions.end(
        { ...decoy, status: 'ended', endedAt: new Date(NOW).toISOString(), endedBy: 'web' },
        'pending',
      ),
    ).toBe(true);
    expect((await s.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items.map((x) => x.id)).toEqual([
      's2',
    ]);
  });

  it('activate makes the next state the stored one, only from the status given: once', async () => {
    const next = activeOf(await pending({ id: 's1' }));
    expect(await s.subscriptions.activate(next, { ...FROM_PENDING, from: 'opted-out' })).toBe('conflict');
    expect(await s.subscriptions.activate(next, FROM_PENDING)).toBe('activated');
    expect(await s.subscriptions.get('s1')).toEqual(next);
    expect(await s.subscriptions.activate(next, FROM_PENDING)).toBe('conflict');
    expect(await s.subscriptions.activate(activeOf(aSubscription({ id: 's9' })), FROM_PENDING)).toBe(
      'conflict',
    );
  });

  it('one active subscription per account and phone: another one of the pair is a duplicate', async () => {
    await active({ id: 's1' });
    const second = activeOf(await pending({ id: 's2', createdAt: '2026-12-16T05:05:00.000Z' }));
    expect(await s.subscriptions.activate(second, FROM_PENDING)).toBe('duplicate');
    expect((await s.subscriptions.get('s2'))?.status).toBe('pending');
    // The same phone on another account is another pair.
    await active({ id: 's3', accountNumber: '987654321' });
  });

  it('of concurrent activations for one account and phone exactly one succeeds', async () => {
    const ids = ['s1', 's2', 's3'];
    const nexts = [];
    for (const id of ids) nexts.push(activeOf(await pending({ id })));
    const results = await Promise.all(nexts.map((next) => s.subscriptions.activate(next, FROM_PENDING)));
    expect([...results].sort()).toEqual(['activated', 'duplicate', 'duplicate']);
  });

  it('at most maxPhones active per account: one more is too many', async () => {
    await active({ id: 's1', phone: '+821012340001' });
    await active({ id: 's2', phone: '+821012340002' });
    const third = activeOf(await pending({ id: 's3', phone: '+821012340003' }));
    expect(await s.subscriptions.activate(third, { ...FROM_PENDING, maxPhones: 2 })).toBe('too-many-phones');
    expect((await s.subscriptions.get('s3'))?.status).toBe('pending');
    expect(await s.subscriptions.activate(third, FROM_PENDING)).toBe('activated');
  });

  it('a phone already subscribed on a full account is a duplicate, not one too many', async () => {
    await active({ id: 's1' });
    const again = activeOf(await pending({ id: 's2' }));
    expect(await s.subscriptions.activate(again, { ...FROM_PENDING, maxPhones: 1 })).toBe('duplicate');
  });

  it('end moves a subscription on only from the status given, and frees its phone and its place on the account', async () => {
    const first = await active({ id: 's1' });
    expect(await s.subscriptions.end(endedOf(first), 'pending')).toBe(false);
    expect(await s.subscriptions.end(endedOf(first), 'active')).toBe(true);
    expect(await s.subscriptions.get('s1')).toEqual(endedOf(first));
    expect(await s.subscriptions.end(endedOf(first), 'active')).toBe(false);
    // With maxPhones 1, the same phone and then another could only be subscribed because the place was freed.
    const again = await pending({ id: 's2', createdAt: '2026-12-16T07:00:00.000Z' });
    expect(await s.subscriptions.activate(activeOf(again), { ...FROM_PENDING, maxPhones: 1 })).toBe(
      'activated',
    );
    await s.subscriptions.end(endedOf(activeOf(again)), 'active');
    const other = activeOf(await pending({ id: 's3', phone: '+821012340003' }));
    expect(await s.subscriptions.activate(other, { ...FROM_PENDING, maxPhones: 1 })).toBe('activated');
  });

  it('an opted-out subscription is activated again from opted-out, and takes its place again', async () => {
    const first = await active({ id: 's1' });
    expect(await s.subscriptions.end(endedOf(first, 'opted-out'), 'active')).toBe(true);
    expect((await s.subscriptions.listForNoticeMonth('2026-12', 0, { limit: 10 })).items).toEqual([]);
    const resumed = { ...activeOf(endedOf(first, 'opted-out'), '2027-01') };
    expect(await s.subscriptions.activate(resumed, { ...FROM_PENDING, from: 'opted-out' })).toBe('activated');
    expect(await s.subscriptions.get('s1')).toEqual(resumed);
    const second = activeOf(await pending({ id: 's2' }));
    expect(await s.subscriptions.activate(second, FROM_PENDING)).toBe('duplicate');
  });

  it('a cancelled sign-up (ended from pending) stays on the account, and can no longer be activated', async () => {
    const subscription = await pending({ id: 's1' });
    expect(await s.subscriptions.end(endedOf(subscription), 'pending')).toBe(true);
    expect((await s.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items).toEqual([
      endedOf(subscription),
    ]);
    expect(await s.subscriptions.activate(activeOf(subscription), FROM_PENDING)).toBe('conflict');
  });

  it("a walk of the account's list returns every subscription once, any status, newest first by creation then id", async () => {
    await pending({ id: 's-a', createdAt: '2026-12-01T00:00:00.000Z' });
    await active({ id: 's-b', createdAt: '2026-12-03T00:00:00.000Z', phone: '+821012340002' });
    // Ids compare as the table compares keys, by code point: 'C' comes before 'b', whatever a locale says.
    await pending({ id: 's-C', createdAt: '2026-12-03T00:00:00.000Z', phone: '+821012340003' });
    const ended = await pending({ id: 's-d', createdAt: '2026-12-02T00:00:00.000Z' });
    await s.subscriptions.end(endedOf(ended), 'pending');
    await pending({ id: 's-e', createdAt: '2026-12-04T00:00:00.000Z' });
    await pending({ id: 's-x', accountNumber: '987654321', createdAt: '2026-12-05T00:00:00.000Z' });
    const pages = await walk((page) => s.subscriptions.listByAccount(ACCOUNT, page), 2);
    expect(pages.map((items) => items.map((x) => `${x.id} ${x.status}`))).toEqual([
      ['s-e pending', 's-b active'],
      ['s-C pending', 's-d ended'],
      ['s-a pending'],
    ]);
  });

  it("listByPhone gives the phone's subscriptions of any status on every account, and no one else's", async () => {
    const a = await active({ id: 's1' });
    const b = await pending({ id: 's2', accountNumber: '987654321' });
    const c = await pending({ id: 's3' });
    await s.subscriptions.end(endedOf(c), 'pending');
    await pending({ id: 's4', phone: '+821012340002' });
    expect(byId(await s.subscriptions.listByPhone(PHONE))).toEqual([a, b, endedOf(c)]);
    expect(await s.subscriptions.listByPhone('+821099999999')).toEqual([]);
  });

  it("the notice list of a month: the shard's active subscriptions effective by then, by effective month then id, paged", async () => {
    const phone = (n: number) => `+82101234000${n}`;
    await active({ id: 's-5', phone: phone(1), accountNumber: '100000001' }, '2026-12');
    await active({ id: 's-2', phone: phone(2), accountNumber: '100000001' }, '2026-12');
    await active({ id: 's-9', phone: phone(3), accountNumber: '100000001' }, '2026-10');
    await active({ id: 's-1', phone: phone(4), accountNumber: '100000002' }, '2027-01');
    await active({ id: 's-3', phone: phone(5), accountNumber: '100000002' }, '2026-11', 1);
    await pending({ id: 's-4', phone: phone(6), accountNumber: '100000002' });
    const ended = await active({ id: 's-6', phone: phone(7), accountNumber: '100000003' }, '2026-11');
    await s.subscriptions.end(endedOf(ended), 'active');
    const pages = await walk((page) => s.subscriptions.listForNoticeMonth('2026-12', 0, page), 2);
    expect(pages.map((items) => items.map((x) => x.id))).toEqual([['s-9', 's-2'], ['s-5']]);
    expect(pages.flat().every((x) => x.status === 'active')).toBe(true);
    expect(
      (await s.subscriptions.listForNoticeMonth('2027-01', 0, { limit: 10 })).items.map((x) => x.id),
    ).toEqual(['s-9', 's-2', 's-5', 's-1']);
    expect(
      (await s.subscriptions.listForNoticeMonth('2026-12', 1, { limit: 10 })).items.map((x) => x.id),
    ).toEqual(['s-3']);
  });

  it("refuses a cursor it did not hand out for either list: garbage, the other list's, a misshapen one", async () => {
    for (const [i, createdAt] of ['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z'].entries()) {
      await active({ id: `s${i}`, createdAt, phone: `+82101234000${i}` });
    }
    const accountCursor = (await s.subscriptions.listByAccount(ACCOUNT, { limit: 1 })).cursor;
    const noticeCursor = (await s.subscriptions.listForNoticeMonth('2026-12', 0, { limit: 1 })).cursor;
    expect([accountCursor, noticeCursor]).toEqual([expect.any(String), expect.any(String)]);
    for (const cursor of [
      ...garbageCursors,
      noticeCursor ?? '',
      misshapen('account-subscriptions', { createdAt: 'today', id: 's1' }),
      misshapen('account-subscriptions', { createdAt: '2026-12-01T00:00:00.000Z', id: 'x'.repeat(65) }),
    ]) {
      await expect(
        s.subscriptions.listByAccount(ACCOUNT, { limit: 1, cursor }),
        cursor,
      ).rejects.toBeInstanceOf(InvalidCursorError);
    }
    for (const cursor of [
      ...garbageCursors,
      accountCursor ?? '',
      misshapen('notice-recipients', { effectiveMonth: '2026-12' }),
      misshapen('notice-recipients', { effectiveMonth: 'December', id: 's1' }),
      // Well formed, but from a later month's list: no place in December's.
      misshapen('notice-recipients', { effectiveMonth: '2027-01', id: 's1' }),
    ]) {
      await expect(
        s.subscriptions.listForNoticeMonth('2026-12', 0, { limit: 1, cursor }),
        cursor,
      ).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });
});

describe.each(implementations)('OutboxStore %s', (_, stores) => {
  let s: Stores;
  const message: QueuedSms = {
    channel: 'sms',
    id: 'sms-1',
    to: PHONE,
    body: '[Seoul Water] code 123456',
    purpose: 'otp',
    decoy: false,
    queuedAt: '2026-12-16T05:00:00.000Z',
    notAfter: '2026-12-16T05:05:00.000Z',
  };
  beforeEach(async () => {
    s = await stores();
    await s.outbox.put(message, NOW + 60 * MINUTE);
  });

  it('a queued message is claimed once, with everything it was queued with; an unknown id is missing', async () => {
    expect(await s.outbox.claim('sms-1', NOW)).toEqual({ state: 'claimed', message });
    expect(await s.outbox.claim('sms-1', NOW + 1)).toEqual({ state: 'in-progress' });
    expect(await s.outbox.claim('sms-9', NOW)).toEqual({ state: 'missing' });
    const { notAfter: _, ...withoutDeadline } = message;
    const reply: QueuedSms = { ...withoutDeadline, id: 'sms-2', purpose: 'reply', decoy: true };
    await s.outbox.put(reply, NOW + 60 * MINUTE);
    expect(await s.outbox.claim('sms-2', NOW)).toEqual({ state: 'claimed', message: reply });
  });

  it("a claim older than 60 s is a dead worker's and is taken again; a fresher one is not", async () => {
    await s.outbox.claim('sms-1', NOW);
    expect(await s.outbox.claim('sms-1', NOW + MINUTE)).toEqual({ state: 'in-progress' });
    expect(await s.outbox.claim('sms-1', NOW + MINUTE + 1)).toEqual({ state: 'claimed', message });
    expect(await s.outbox.claim('sms-1', NOW + MINUTE + 2)).toEqual({ state: 'in-progress' });
  });

  it('a completed message is done for good: no later claim, stale or after a release, hands its text out again', async () => {
    await s.outbox.claim('sms-1', NOW);
    await s.outbox.complete('sms-1', { outcome: 'sent', providerMessageId: 'provider-1' }, NOW + 1);
    expect(await s.outbox.claim('sms-1', NOW + 2)).toEqual({ state: 'done' });
    await s.outbox.release('sms-1');
    expect(await s.outbox.claim('sms-1', NOW + 60 * MINUTE)).toEqual({ state: 'done' });
  });

  it('release gives the claim back after a failed send: the next claim takes it at once', async () => {
    await s.outbox.claim('sms-1', NOW);
    await s.outbox.release('sms-1');
    expect(await s.outbox.claim('sms-1', NOW + 1)).toEqual({ state: 'claimed', message });
    // Releasing one nobody holds changes nothing.
    await s.outbox.complete('sms-1', { outcome: 'dropped' }, NOW + 2);
    await s.outbox.release('sms-1');
    expect(await s.outbox.claim('sms-1', NOW + 3)).toEqual({ state: 'done' });
  });

  it('of concurrent claims exactly one takes the message', async () => {
    const claims = await Promise.all([1, 2, 3].map(() => s.outbox.claim('sms-1', NOW)));
    expect(claims.map((c) => c.state).sort()).toEqual(['claimed', 'in-progress', 'in-progress']);
  });

  it('an e-mail is claimed with its subject and text, once, and is done for good once completed', async () => {
    const mail: QueuedEmail = {
      channel: 'email',
      id: 'mail-1',
      to: 'Ivanov@Mail.ru',
      subject: 'Reading received',
      text: 'Account 1234567834\nday 1234',
      purpose: 'reading-confirmation',
      queuedAt: '2026-12-16T05:00:00.000Z',
    };
    await s.outbox.put(mail, NOW + 60 * MINUTE);
    expect(await s.outbox.claim('mail-1', NOW)).toEqual({ state: 'claimed', message: mail });
    expect(await s.outbox.claim('mail-1', NOW + 1)).toEqual({ state: 'in-progress' });
    await s.outbox.complete('mail-1', { outcome: 'refused' }, NOW + 2);
    expect(await s.outbox.claim('mail-1', NOW + 60 * MINUTE)).toEqual({ state: 'done' });
  });
});

describe('both implementations hand out the same cursors for the same list and position', () => {
  // A client may be served by either (the local runtime, tests, Lambda): a cursor is part of the contract.
  it('for bills, readings, an account’s subscriptions and the notice list', async () => {
    const walks = await Promise.all(
      implementations.map(async ([, stores]) => {
        const s = await stores();
        await s.accounts.putMany([anAccount()]);
        await s.bills.putMany(['2026-09', '2026-10', '2026-11'].map((period) => aBill({ period })));
        for (const [id, period] of [
          ['r1', '2026-10'],
          ['r2', '2026-11'],
          ['r3', '2026-12'],
        ] as const) {
          await s.readings.add(
            aReading({ id, period, submittedAt: `${period}-16T05:00:00.000Z` }),
            firstOfWindow(id),
          );
        }
        for (const id of ['s1', 's2', 's3']) {
          const subscription = aSubscription({ id, phone: `+8210123400${id.slice(1).padStart(2, '0')}` });
          await s.subscriptions.createPending(subscription, RETAIN);
          await s.subscriptions.activate(activeOf(subscription), FROM_PENDING);
        }
        return [
          await cursorsOf((page) => s.bills.list(ACCOUNT, page), 1),
          await cursorsOf((page) => s.readings.list(ACCOUNT, page), 1),
          await cursorsOf((page) => s.subscriptions.listByAccount(ACCOUNT, page), 1),
          await cursorsOf((page) => s.subscriptions.listForNoticeMonth('2026-12', 0, page), 1),
        ];
      }),
    );
    const [memory, dynamo] = walks;
    expect(memory?.map((cursors) => cursors.length)).toEqual([2, 2, 2, 2]);
    expect(memory).toEqual(dynamo);
  });
});
