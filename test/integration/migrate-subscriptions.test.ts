import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { InvalidCursorError } from '#app/ports';
import { fanOutShard, type Subscription } from '#domain/subscription';
import { route as addPhoneRoute } from '#handlers/http/add-household-phone';
import { route as verifyRoute } from '#handlers/http/verify-subscription';
import { aBill, anAccount } from '#test/support/builders';
import { lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { call } from '#test/support/http';

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
const OLD_STATE: Record<string, OldSubscription> = {
  stranger1: {
    account: ACCOUNT,
    phone: U[0] as string,
    status: 'active',
    createdAt: '2026-10-01T01:00:00.000Z',
  },
  stranger2: {
    account: ACCOUNT,
    phone: U[1] as string,
    status: 'active',
    createdAt: '2026-10-02T01:00:00.000Z',
  },
  stranger3: {
    account: ACCOUNT,
    phone: U[2] as string,
    status: 'active',
    createdAt: '2026-10-03T01:00:00.000Z',
  },
  holder: { account: ACCOUNT, phone: REGISTERED, status: 'active', createdAt: '2026-10-04T01:00:00.000Z' },
  strangerStopped: {
    account: ACCOUNT,
    phone: U[3] as string,
    status: 'opted-out',
    createdAt: '2026-10-05T01:00:00.000Z',
  },
  strangerCancelled: {
    account: ACCOUNT,
    phone: U[4] as string,
    status: 'ended',
    createdAt: '2026-10-06T01:00:00.000Z',
  },
  strangerPending: {
    account: ACCOUNT,
    phone: U[0] as string,
    status: 'pending',
    createdAt: '2026-12-04T20:00:00.000Z',
  },
  secondPending: {
    account: ACCOUNT,
    phone: SECOND,
    status: 'pending',
    createdAt: '2026-12-04T22:00:00.000Z',
  },
  // A phone registered on one account is a stranger to another.
  onNeighbour: {
    account: NEIGHBOUR,
    phone: REGISTERED,
    status: 'active',
    createdAt: '2026-10-07T01:00:00.000Z',
  },
  neighbour: {
    account: NEIGHBOUR,
    phone: NEIGHBOUR_PHONE,
    status: 'active',
    createdAt: '2026-10-08T01:00:00.000Z',
  },
};
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

const verify = (id: string, code: string) =>
  call(verifyRoute, world.deps, {
    method: 'POST',
    path: `/subscriptions/${id}/verify`,
    routePath: '/subscriptions/{id}/verify',
    pathParameters: { id },
    body: { code },
  });

/** The holder adds a phone with the account token, and its owner confirms the code texted to it. */
async function holderAdds(phone: string) {
  const started = await call(addPhoneRoute, world.deps, {
    method: 'POST',
    path: `/accounts/${ACCOUNT}/subscriptions`,
    routePath: '/accounts/{accountNumber}/subscriptions',
    pathParameters: { accountNumber: ACCOUNT },
    headers: { authorization: `Bearer ${accountToken()}` },
    body: { phone, channel: 'sms', language: 'ko', consentVersion: '2026-11' },
  });
  expect(started.status).toBe(202);
  const id = String(started.json.id);
  return { id, verified: await verify(id, lastCode(world.sms, phone)) };
}

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
