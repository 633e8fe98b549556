import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { migrateSubscriptions, type SubscriptionMigrationProgress } from '#app/migrations';
import { allNoticeRecipients } from '#app/notice-recipients';
import { InvalidCursorError, type SubscriptionStore } from '#app/ports';
import { fanOutShard, type Subscription } from '#domain/subscription';
import { route as subscribeRoute } from '#handlers/http/subscribe';
import { aBill, anAccount } from '#test/support/builders';
import { lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';
import { addPhoneCall, listCall, verifyCall } from '#test/support/subscription-calls';

// A deployment made before the public sign-up checked phones holds subscriptions of phones that are not
// registered on their account (anyone could have their neighbour's bill texted to them), and lists every
// subscription on its account under `A#SUB#<id>`. After deploying this version, operators run
// `ops migrate subscriptions` once: those subscriptions end, their places on the account are freed, they leave the
// notice run, and every account lists its subscriptions newest first again.

const ACCOUNT = '123456789';
const REGISTERED = '+821012345678';
const SECOND = '+821012340002';
const NEIGHBOUR = '987654321';
const NEIGHBOUR_PHONE = '+821055550001';
/** Phones registered on no account: strangers', or household members' the holder never added. */
const U = ['+821098760001', '+821098760002', '+821098760003', '+821098760004', '+821098760005'];
/** The phone a household member gets the holder to add, after the deploy. */
const HOUSEHOLD = '+821098760007';

let world: TestWorld;
/** Subscription ids by the names of the old state below. */
let ids: Record<string, string>;

interface OldSubscription {
  account: string;
  phone: string;
  status: Subscription['status'];
  createdAt: string;
}

/** What the old deployment left: each subscription written the way its code wrote it (no addedBy, old pointers). */
const old = (
  account: string,
  phone: string | undefined,
  status: Subscription['status'],
  createdAt: string,
): OldSubscription => ({ account, phone: phone ?? '', status, createdAt });
const OLD_STATE: Record<string, OldSubscription> = {
  stranger1: old(ACCOUNT, U[0], 'active', '2026-10-01T01:00:00.000Z'),
  stranger2: old(ACCOUNT, U[1], 'active', '2026-10-02T01:00:00.000Z'),
  stranger3: old(ACCOUNT, U[2], 'active', '2026-10-03T01:00:00.000Z'),
  holder: old(ACCOUNT, REGISTERED, 'active', '2026-10-04T01:00:00.000Z'),
  strangerStopped: old(ACCOUNT, U[3], 'opted-out', '2026-10-05T01:00:00.000Z'),
  strangerCancelled: old(ACCOUNT, U[4], 'ended', '2026-10-06T01:00:00.000Z'),
  strangerPending: old(ACCOUNT, U[0], 'pending', '2026-12-04T20:00:00.000Z'),
  secondPending: old(ACCOUNT, SECOND, 'pending', '2026-12-04T22:00:00.000Z'),
  // A phone registered on one account is a stranger to another.
  onNeighbour: old(NEIGHBOUR, REGISTERED, 'active', '2026-10-07T01:00:00.000Z'),
  neighbour: old(NEIGHBOUR, NEIGHBOUR_PHONE, 'active', '2026-10-08T01:00:00.000Z'),
};
const UNREGISTERED = [
  'stranger1',
  'stranger2',
  'stranger3',
  'strangerStopped',
  'strangerPending',
  'onNeighbour',
];

const put = (item: Record<string, unknown>) =>
  world.table.client.send(new PutCommand({ TableName: world.table.tableName, Item: item }));

async function writeOldState(): Promise<void> {
  ids = {};
  const active = new Map<string, number>();
  for (const [name, old] of Object.entries(OLD_STATE)) {
    const id = randomUUID();
    ids[name] = id;
    const pending = old.status === 'pending';
    const ttl = pending ? Date.parse(old.createdAt) / 1000 + 24 * 3600 : undefined;
    await put({
      pk: `SUB#${id}`,
      sk: 'SUB',
      gsi1pk: `PHONE#${old.phone}`,
      gsi1sk: `SUB#${id}`,
      type: 'Subscription',
      id,
      accountNumber: old.account,
      phone: old.phone,
      channel: 'sms',
      language: 'ko',
      status: old.status,
      createdAt: old.createdAt,
      consent: { version: '2026-11', at: old.createdAt, source: 'web' },
      ...(pending ? { ttl } : { verifiedAt: old.createdAt, effectiveMonth: '2026-10' }),
      ...(old.status === 'active'
        ? {
            gsi2pk: `NOTICE#${String(fanOutShard(id, 16)).padStart(2, '0')}`,
            gsi2sk: `2026-10#${id}`,
          }
        : {}),
      ...(old.status === 'opted-out' ? { endedAt: '2026-11-20T01:00:00.000Z', endedBy: 'sms' } : {}),
      ...(old.status === 'ended' ? { endedAt: '2026-11-21T01:00:00.000Z', endedBy: 'web' } : {}),
    });
    await put({
      pk: `ACCT#${old.account}`,
      sk: `A#SUB#${id}`,
      type: 'AccountSubscription',
      subscriptionId: id,
      ...(pending ? { ttl } : {}),
    });
    if (old.status === 'active') {
      await put({
        pk: `ACCT#${old.account}`,
        sk: `A#SUBPHONE#${old.phone}`,
        type: 'AccountSubscribedPhone',
        subscriptionId: id,
      });
      active.set(old.account, (active.get(old.account) ?? 0) + 1);
    }
  }
  for (const [account, count] of active) {
    await put({ pk: `ACCT#${account}`, sk: 'A#SUBCOUNT', type: 'AccountSubscriptionCount', active: count });
  }
}

const accountToken = (account = ACCOUNT) => grantToken(world.deps, 'account', account).accessToken;

const verify = (id: string, code: string) => verifyCall(world.deps, id, code);

/** The holder adds a phone with the account token, and its owner confirms the code texted to it. */
async function holderAdds(phone: string) {
  const started = await addPhoneCall(world.deps, ACCOUNT, accountToken(), phone);
  expect(started.status).toBe(202);
  const id = String(started.json.id);
  return { id, verified: await verify(id, lastCode(world.sms, phone)) };
}

/** A registered phone signs up on the public route and confirms. */
async function selfSignUp(phone: string) {
  const started = await call(subscribeRoute, world.deps, {
    method: 'POST',
    path: '/subscriptions',
    body: { accountNumber: ACCOUNT, phone, channel: 'sms', language: 'ko', consentVersion: '2026-11' },
  });
  expect(started.status).toBe(202);
  const id = String(started.json.id);
  return { id, verified: await verify(id, lastCode(world.sms, phone)) };
}

const listPage = (query: Record<string, string>) => listCall(world.deps, ACCOUNT, accountToken(), query);

/** Every item of the table, in key order: to see that a run wrote nothing. */
async function snapshot(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await world.table.client.send(
      new ScanCommand({
        TableName: world.table.tableName,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (item: Record<string, unknown>) => `${item.pk}\u0000${item.sk}`;
  return items.sort((a, b) => key(a).localeCompare(key(b)));
}

const raw = async (pk: string, sk: string) =>
  (await world.table.client.send(new GetCommand({ TableName: world.table.tableName, Key: { pk, sk } }))).Item;
const activeCount = async (account: string) => (await raw(`ACCT#${account}`, 'A#SUBCOUNT'))?.active;
const pointers = async (account: string) =>
  (await snapshot()).filter((item) => item.pk === `ACCT#${account}` && item.type === 'AccountSubscription');
const recipientIds = async () =>
  (await allNoticeRecipients(world.deps, '2026-12')).recipients.map((s) => s.id).sort();
const statusOf = async (name: string) => (await world.deps.subscriptions.get(ids[name] as string))?.status;

beforeEach(async () => {
  // 10:00 on 2026-12-05 in Seoul, soon after this version was deployed.
  world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
  await world.deps.accounts.putMany([
    anAccount({ accountNumber: ACCOUNT, phones: [REGISTERED, SECOND] }),
    anAccount({ accountNumber: NEIGHBOUR, phones: [NEIGHBOUR_PHONE] }),
  ]);
  // Other items share the table and the Scan: bills, phones, profiles.
  await world.deps.bills.putMany([aBill({ accountNumber: ACCOUNT }), aBill({ accountNumber: NEIGHBOUR })]);
  await writeOldState();
  // Since the deploy the holder has added a household member's phone (current form, addedBy holder).
  const household = await holderAdds(HOUSEHOLD);
  expect(household.verified.status).toBe(200);
  ids.household = household.id;
});

describe('SubscriptionStore.scanAll (ops only)', () => {
  it('reads every subscription once, page by page, past the other items of the table', async () => {
    const seen: string[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await world.deps.subscriptions.scanAll({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.cursor;
      if (cursor) cursors.push(cursor);
    } while (cursor);

    expect(seen.sort()).toEqual(Object.values(ids).sort());
    expect(cursors).toHaveLength(3);
    // A cursor names the last subscription returned, never the Scan's table key.
    for (const c of cursors) {
      const text = Buffer.from(c, 'base64url').toString('utf8');
      expect(text).not.toMatch(/SUB#|ACCT#|"pk"|"sk"/);
    }
  });

  it("refuses a cursor it did not make for this walk, such as another list's", async () => {
    const listed = await world.deps.subscriptions.listByAccount(ACCOUNT, { limit: 1 });
    for (const cursor of [String(listed.cursor), 'bm9wZQ', 'x'.repeat(500)]) {
      await expect(world.deps.subscriptions.scanAll({ limit: 3, cursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
  });
});

describe('migrateSubscriptions', () => {
  it('ends the subscriptions of unregistered phones the holder did not add, and frees their places', async () => {
    // Before: strangers' phones take three of the account's five places and one phone's slot, and get the bill.
    expect(await activeCount(ACCOUNT)).toBe(5);
    const stale = await holderAdds(U[0] as string);
    expect([stale.verified.status, stale.verified.json.type]).toEqual([
      409,
      problemType('subscription-exists'),
    ]);
    expect(await recipientIds()).toEqual(
      ['stranger1', 'stranger2', 'stranger3', 'holder', 'onNeighbour', 'neighbour', 'household']
        .map((name) => ids[name])
        .sort(),
    );

    const reports: SubscriptionMigrationProgress[] = [];
    const report = await migrateSubscriptions(world.deps, { pageSize: 2, onPage: (p) => reports.push(p) });

    expect(report).toEqual({
      dryRun: false,
      examined: 12,
      ended: { 'unregistered-phone': 6 },
      pointersRewritten: 10,
      // The two active subscriptions confirmed before districts were indexed: announcements now reach them.
      districtsIndexed: 2,
      // The holder's two additions: the household phone, and the pending one the old slot refused.
      alreadyFine: 2,
      busy: 0,
      busyIds: [],
    });
    expect(reports.map((r) => r.pages)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reports.map((r) => r.examined)).toEqual([2, 4, 6, 8, 10, 12]);

    const now = world.clock.now().toISOString();
    for (const name of UNREGISTERED) {
      expect(await world.deps.subscriptions.get(ids[name] as string), name).toMatchObject({
        status: 'ended',
        endedAt: now,
        endedBy: 'ops',
        endedReason: 'unregistered-phone',
      });
    }
    // Registered phones, the holder's choice and what had already ended stay as they were.
    expect(await statusOf('holder')).toBe('active');
    expect(await statusOf('neighbour')).toBe('active');
    expect(await statusOf('household')).toBe('active');
    expect(await statusOf('secondPending')).toBe('pending');
    const cancelled = await world.deps.subscriptions.get(ids.strangerCancelled as string);
    expect(cancelled).toMatchObject({ status: 'ended', endedBy: 'web', endedAt: '2026-11-21T01:00:00.000Z' });
    expect(cancelled?.endedReason).toBeUndefined();
    // An ended sign-up no longer expires by itself, as a cancelled one does not.
    expect((await raw(`SUB#${ids.strangerPending}`, 'SUB'))?.ttl).toBeUndefined();
    expect((await raw(`SUB#${ids.secondPending}`, 'SUB'))?.ttl).toEqual(expect.any(Number));

    // The notice run reaches only the phones that should get the bill.
    expect(await recipientIds()).toEqual(['holder', 'neighbour', 'household'].map((n) => ids[n]).sort());
    // And every active one is on its account's district list, where announcements look.
    for (const name of ['holder', 'neighbour', 'household']) {
      expect((await world.deps.subscriptions.get(ids[name] as string))?.district, name).toEqual(
        expect.any(String),
      );
    }
    expect(await activeCount(ACCOUNT)).toBe(2);
    expect(await activeCount(NEIGHBOUR)).toBe(1);
    for (const phone of U.slice(0, 3))
      expect(await raw(`ACCT#${ACCOUNT}`, `A#SUBPHONE#${phone}`)).toBeUndefined();
    expect(await raw(`ACCT#${NEIGHBOUR}`, `A#SUBPHONE#${REGISTERED}`)).toBeUndefined();

    // The holder can now add that phone and use the freed places.
    const added = await holderAdds(U[0] as string);
    expect([added.verified.status, added.verified.json.subscription]).toEqual([
      200,
      expect.objectContaining({ status: 'active', addedBy: 'holder' }),
    ]);
    expect((await selfSignUp(SECOND)).verified.status).toBe(200);
    expect(await activeCount(ACCOUNT)).toBe(4);
  });

  it("lists every subscription on its account in the current form, so the account's list pages newest first", async () => {
    await migrateSubscriptions(world.deps);

    const listed = await pointers(ACCOUNT);
    expect(listed.filter((p) => !String(p.sk).startsWith('A#SUB#2026-'))).toEqual([]);
    const byId = new Map(listed.map((p) => [p.subscriptionId, p]));
    const accountNames = Object.keys(ids).filter(
      (n) => n === 'household' || OLD_STATE[n]?.account === ACCOUNT,
    );
    expect([...byId.keys()].sort()).toEqual(accountNames.map((n) => ids[n]).sort());
    // Only a sign-up still pending keeps an expiry, the same as its subscription's.
    const pendingTtl = (await raw(`SUB#${ids.secondPending}`, 'SUB'))?.ttl;
    expect(byId.get(ids.secondPending)?.ttl).toBe(pendingTtl);
    expect(listed.filter((p) => p.ttl !== undefined).map((p) => p.subscriptionId)).toEqual([
      ids.secondPending,
    ]);
    expect((await pointers(NEIGHBOUR)).map((p) => p.sk)).toEqual(
      ['onNeighbour', 'neighbour'].map((n) => `A#SUB#${OLD_STATE[n]?.createdAt}#${ids[n]}`),
    );

    const seen: string[] = [];
    const reasons = new Map<string, unknown>();
    let cursor: string | undefined;
    do {
      const page = await listPage({ limit: '3', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      const items = page.json.items as Array<{ id: string; endedReason: unknown }>;
      seen.push(...items.map((s) => s.id));
      for (const s of items) reasons.set(s.id, s.endedReason);
      cursor = (page.json.nextCursor as string | null) ?? undefined;
    } while (cursor);
    const newestFirst = [
      'household',
      'secondPending',
      'strangerPending',
      'strangerCancelled',
      'strangerStopped',
      'holder',
      'stranger3',
      'stranger2',
      'stranger1',
    ];
    expect(seen).toEqual(newestFirst.map((n) => ids[n]));
    // The holder sees why a stranger's subscription ended.
    expect(reasons.get(ids.stranger1 ?? '')).toBe('unregistered-phone');
    expect(reasons.get(ids.holder ?? '')).toBeNull();
  });

  it('changes nothing when run again', async () => {
    const first = await migrateSubscriptions(world.deps);
    const after = await snapshot();
    world.clock.advance(3600_000);

    const again = await migrateSubscriptions(world.deps, { pageSize: 3 });

    expect(again).toEqual({
      dryRun: false,
      examined: first.examined,
      ended: { 'unregistered-phone': 0 },
      pointersRewritten: 0,
      alreadyFine: first.examined,
      districtsIndexed: 0,
      busy: 0,
      busyIds: [],
    });
    expect(await snapshot()).toEqual(after);
  });

  it('in a dry run reports what it would do and writes nothing', async () => {
    const before = await snapshot();

    const dry = await migrateSubscriptions(world.deps, { dryRun: true, pageSize: 4 });

    expect(await snapshot()).toEqual(before);
    const real = await migrateSubscriptions(world.deps);
    expect(dry).toEqual({ ...real, dryRun: true });
    expect(dry).toMatchObject({ examined: 11, ended: { 'unregistered-phone': 6 }, pointersRewritten: 10 });
  });

  // The resident texts STOP while the migration is ending that very subscription: the conditional write fails,
  // the subscription is read again and ended from opted-out, and its place on the account is freed only once.
  it('reads a subscription again and ends it when it changed meanwhile', async () => {
    const real = world.deps.subscriptions;
    let stopped = false;
    const racing: SubscriptionStore = Object.assign(Object.create(real) as SubscriptionStore, {
      end: async (next: Subscription, from: Subscription['status']) => {
        if (!stopped && next.id === ids.stranger1) {
          stopped = true;
          const current = (await real.get(next.id)) as Subscription;
          const stop = {
            ...current,
            status: 'opted-out' as const,
            endedAt: next.endedAt,
            endedBy: 'sms' as const,
          };
          expect(await real.end(stop, 'active')).toBe(true);
        }
        return real.end(next, from);
      },
    });

    const report = await migrateSubscriptions({ ...world.deps, subscriptions: racing });

    expect(stopped).toBe(true);
    expect(report.ended['unregistered-phone']).toBe(6);
    expect(await world.deps.subscriptions.get(ids.stranger1 as string)).toMatchObject({
      status: 'ended',
      endedBy: 'ops',
      endedReason: 'unregistered-phone',
    });
    expect(await activeCount(ACCOUNT)).toBe(2);
  });
});

describe('ops migrate subscriptions', () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'bin/ops.ts',
        'migrate',
        'subscriptions',
        ...args,
        '--endpoint',
        world.table.endpoint,
        '--table',
        world.table.tableName,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

  it('reports a dry run, then migrates, then finds nothing left to do', async () => {
    const before = await snapshot();
    const dry = run('--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`Dry run over table "${world.table.tableName}"`);
    expect(dry.stdout).toContain('nothing was written');
    expect(dry.stdout).toMatch(/examined +11\n/);
    expect(dry.stdout).toMatch(/to end: unregistered phone +6\n/);
    expect(dry.stdout).toMatch(/pointers to rewrite +10\n/);
    expect(dry.stdout).toContain('Run it again without --dry-run');
    expect(dry.stderr).toContain(
      'migrate subscriptions (dry run): 11 subscriptions (6 to end, 10 pointers to rewrite, 2 to index by district)\n',
    );
    expect(await snapshot()).toEqual(before);

    const real = run();
    expect(real.status).toBe(0);
    expect(real.stdout).toContain('Migrated the subscriptions in table');
    expect(real.stdout).toMatch(/ended: unregistered phone +6\n/);
    expect(real.stdout).toMatch(/pointers rewritten +10\n/);
    expect(real.stdout).toMatch(/already fine +1\n/);
    expect(real.stderr).toContain(
      'migrate subscriptions: 11 subscriptions (6 ended, 10 pointers rewritten, 2 indexed by district)\n',
    );
    expect(await statusOf('stranger1')).toBe('ended');

    const again = run();
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/ended: unregistered phone +0\n/);
    expect(again.stdout).toMatch(/pointers rewritten +0\n/);
    expect(again.stdout).toMatch(/already fine +11\n/);
  }, 180_000);

  it('explains itself with --help', () => {
    const help = spawnSync(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'bin/ops.ts', 'migrate', 'subscriptions', '--help'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('npm run ops -- migrate subscriptions --dry-run --utility seoul-water');
  }, 60_000);
});
