import { spawnSync } from 'node:child_process';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { allNoticeRecipients, noticeRecipients, type RecipientsProgress } from '#app/notice-recipients';
import { fanOutShard } from '#domain/subscription';
import { route as cancelRoute } from '#handlers/http/cancel-subscription';
import { route as getRoute } from '#handlers/http/get-subscription';
import { route as subscribeRoute } from '#handlers/http/subscribe';
import { route as codeRoute } from '#handlers/http/subscription-code';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { anAccount } from '#test/support/builders';
import { lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';
import { inboundEvent, inboundRecord } from '#test/support/sqs';
import { addPhoneCall, listCall, verifyCall } from '#test/support/subscription-calls';

const ACCOUNT = '123456789';
const REGISTERED = '+821012345678';
/** Registered on the account too: the holder's second phone. */
const SECOND = '+821012340002';
/** Not registered: a household member's phone, or a stranger's. */
const OTHER_PHONE = '+821098765432';
let world: TestWorld;

const signUp = (over: Record<string, unknown> = {}) =>
  call(subscribeRoute, world.deps, {
    method: 'POST',
    path: '/subscriptions',
    body: {
      accountNumber: ACCOUNT,
      phone: REGISTERED,
      channel: 'sms',
      language: 'ko',
      consentVersion: '2026-11',
      ...over,
    },
  });

const verify = (id: string, code: string) => verifyCall(world.deps, id, code);

const resend = (id: string) =>
  call(codeRoute, world.deps, {
    method: 'POST',
    path: `/subscriptions/${id}/code`,
    routePath: '/subscriptions/{id}/code',
    pathParameters: { id },
  });

const withToken = (token: string | undefined) => (token ? { authorization: `Bearer ${token}` } : undefined);
const get = (id: string, token?: string) =>
  call(getRoute, world.deps, {
    method: 'GET',
    path: `/subscriptions/${id}`,
    routePath: '/subscriptions/{id}',
    pathParameters: { id },
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
const cancel = (id: string, token?: string) =>
  call(cancelRoute, world.deps, {
    method: 'DELETE',
    path: `/subscriptions/${id}`,
    routePath: '/subscriptions/{id}',
    pathParameters: { id },
    ...(token ? { headers: withToken(token) } : {}),
  });
const accountToken = (account = ACCOUNT) => grantToken(world.deps, 'account', account).accessToken;

/** The account holder adds a phone (a household member's) with the account token. */
const addPhone = (phone: string, over: Record<string, unknown> = {}, token = accountToken()) =>
  addPhoneCall(world.deps, ACCOUNT, token, phone, over);

const list = (query: Record<string, string> = {}) => listCall(world.deps, ACCOUNT, accountToken(), query);

/** Signs up a registered phone and verifies it; returns the subscription id and the verify response. */
async function subscribe(over: Record<string, unknown> = {}) {
  const started = await signUp(over);
  expect(started.status).toBe(202);
  const id = String(started.json.id);
  const phone = String(over.phone ?? REGISTERED);
  const verified = await verify(id, lastCode(world.sms, phone));
  return { id, verified };
}

/** The holder adds a phone and its owner verifies it with the code texted to it. */
async function subscribeHousehold(phone: string, over: Record<string, unknown> = {}) {
  const started = await addPhone(phone, over);
  expect(started.status).toBe(202);
  const id = String(started.json.id);
  const verified = await verify(id, lastCode(world.sms, phone));
  return { id, verified };
}

beforeEach(async () => {
  // 10:00 on 2026-12-05 in Seoul.
  world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
  await world.deps.accounts.putMany([anAccount({ accountNumber: ACCOUNT, phones: [REGISTERED, SECOND] })]);
});

describe('POST /subscriptions', () => {
  it('texts a code in the chosen language and returns the pending id', async () => {
    const response = await signUp({ language: 'en' });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ id: expect.any(String), status: 'pending', expiresInSeconds: 300 });
    expect(world.sms.list(REGISTERED)[0]?.body).toMatch(
      /^Seoul Waterworks: your code to confirm bill notices is \d{6}/,
    );
    expect((await world.deps.subscriptions.get(String(response.json.id)))?.status).toBe('pending');
  });

  it('answers alike for a registered phone, an unregistered one and an account that does not exist', async () => {
    const registered = await signUp();
    const unregistered = await signUp({ phone: OTHER_PHONE });
    const unknown = await signUp({ accountNumber: '999999999', phone: '+821055554444' });
    for (const other of [unregistered, unknown]) {
      expect(other.status).toBe(registered.status);
      expect(Object.keys(other.json).sort()).toEqual(Object.keys(registered.json).sort());
      expect(other.json.message).toBe(registered.json.message);
    }
  });

  it('refuses bad input with a specific type and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ phone: '12345' }, 'validation-error', 'body.phone'],
      [{ phone: '02-3146-1100' }, 'phone-not-mobile', 'body.phone'],
      [{ channel: 'fax' }, 'unsupported-channel', 'body.channel'],
      [{ language: 'ja' }, 'unsupported-language', 'body.language'],
      [{ households: 0 }, 'invalid-households', 'body.households'],
      [{ consentVersion: '2020-01' }, 'consent-outdated', 'body.consentVersion'],
      [{ accountNumber: 'abc' }, 'validation-error', 'body.accountNumber'],
    ];
    for (const [over, type, field] of cases) {
      const response = await signUp(over);
      expect([response.status, response.json.type], JSON.stringify(over)).toEqual([400, problemType(type)]);
      expect(response.json.errors).toMatchObject([{ field }]);
    }
    expect((await world.deps.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items).toEqual([]);
    expect(world.sms.list()).toEqual([]);
    expect((await world.deps.otps.getSendLog(REGISTERED)).sentAt).toEqual([]);
  });

  it('refuses the messenger channel where the utility has no messenger', async () => {
    const tyumen = await testWorld('tyumen-power', new Date('2026-12-05T05:00:00Z'));
    const response = await call(subscribeRoute, tyumen.deps, {
      method: 'POST',
      path: '/subscriptions',
      body: {
        accountNumber: '1234567833',
        phone: '+79123456789',
        channel: 'messenger',
        language: 'ru',
        consentVersion: '2026-11',
      },
    });
    expect([response.status, response.json.type]).toEqual([400, problemType('unsupported-channel')]);
  });

  it('limits codes to one phone (429), counting sign-ups and resends together', async () => {
    const { json } = await signUp();
    const id = String(json.id);
    expect((await resend(id)).status).toBe(202);
    expect((await resend(id)).status).toBe(202);
    const refused = await resend(id);
    expect([refused.status, refused.json.type]).toEqual([429, problemType('otp-rate-limited')]);
    const another = await signUp();
    expect(another.status).toBe(429);
    expect((await world.deps.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items).toHaveLength(1);
  });
});

describe('POST /subscriptions/{id}/verify', () => {
  it('activates with the right code and returns a token for this subscription', async () => {
    const { id, verified } = await subscribe({ households: 3 });
    expect(verified.status).toBe(200);
    expect(verified.json.subscription).toMatchObject({
      id,
      status: 'active',
      effectiveMonth: '2026-12',
      registeredPhone: true,
      households: 3,
      phone: '+82 10 **** 5678',
      consent: { version: '2026-11', source: 'web' },
    });
    expect((await get(id, String(verified.json.accessToken))).status).toBe(200);
  });

  it("puts the confirmed phone on its account's district list, which announcements read", async () => {
    const { id } = await subscribe();
    const shards = world.deps.config.subscriptions.fanOutShards;
    const listed = await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        world.deps.subscriptions.listForDistrict('11140', shard, { limit: 10 }),
      ),
    );
    expect(listed.flatMap((page) => page.items)).toEqual([{ id, accountNumber: ACCOUNT }]);
    expect((await world.deps.subscriptions.get(id))?.district).toBe('11140');
  });

  it('lists a phone the holder added, not registered on the account, as such', async () => {
    const { verified } = await subscribeHousehold(OTHER_PHONE);
    expect(verified.json.subscription).toMatchObject({
      status: 'active',
      registeredPhone: false,
      addedBy: 'holder',
    });
  });

  it('puts the cutoff at the end of the 8th in Seoul, where UTC is still on the 8th a while longer', async () => {
    world.clock.set(new Date('2026-12-08T14:59:59Z'));
    expect((await subscribe()).verified.json.subscription).toMatchObject({ effectiveMonth: '2026-12' });
    world.clock.set(new Date('2026-12-08T15:00:00Z'));
    expect((await subscribe({ phone: SECOND })).verified.json.subscription).toMatchObject({
      effectiveMonth: '2027-01',
    });
  });

  it('refuses a wrong or expired code, and a sixth attempt', async () => {
    const { json } = await signUp();
    const id = String(json.id);
    const code = lastCode(world.sms, REGISTERED);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await verify(id, wrong);
    expect([first.status, first.json.type]).toEqual([401, problemType('otp-invalid')]);
    world.clock.advance(5 * 60_000);
    const late = await verify(id, code);
    expect([late.status, late.json.type]).toEqual([401, problemType('otp-expired')]);
    expect((await world.deps.subscriptions.get(id))?.status).toBe('pending');
  });

  it('refuses a second subscription for the same (account, phone)', async () => {
    await subscribe();
    const second = await signUp();
    const response = await verify(String(second.json.id), lastCode(world.sms, REGISTERED));
    expect([response.status, response.json.type]).toEqual([409, problemType('subscription-exists')]);
    expect((await world.deps.subscriptions.get(String(second.json.id)))?.status).toBe('pending');
  });

  it('lets exactly one of two racing sign-ups for the same (account, phone) win', async () => {
    const a = await signUp();
    const codeA = lastCode(world.sms, REGISTERED);
    const b = await signUp();
    const codeB = lastCode(world.sms, REGISTERED);
    const results = await Promise.all([verify(String(a.json.id), codeA), verify(String(b.json.id), codeB)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const all = (await world.deps.subscriptions.listByAccount(ACCOUNT, { limit: 10 })).items;
    expect(all.filter((s) => s.status === 'active')).toHaveLength(1);
  });

  it('allows at most N phones per account, and frees a place when one is cancelled', async () => {
    world.deps = {
      ...world.deps,
      config: {
        ...world.deps.config,
        subscriptions: { ...world.deps.config.subscriptions, maxPhonesPerAccount: 2 },
      },
    };
    const phones = ['+821011110001', '+821011110002', '+821011110003'];
    const first = await subscribeHousehold(String(phones[0]));
    await subscribeHousehold(String(phones[1]));
    const third = await subscribeHousehold(String(phones[2]));
    expect([third.verified.status, third.verified.json.type]).toEqual([409, problemType('too-many-phones')]);
    expect((await cancel(first.id, accountToken())).json.status).toBe('ended');
    await resend(third.id);
    const again = await verify(third.id, lastCode(world.sms, String(phones[2])));
    expect(again.status).toBe(200);
  });

  it('lets concurrent sign-ups of different phones fill the account only up to N', async () => {
    world.deps = {
      ...world.deps,
      config: {
        ...world.deps.config,
        subscriptions: { ...world.deps.config.subscriptions, maxPhonesPerAccount: 3 },
      },
    };
    const pending: Array<[string, string]> = [];
    for (let i = 0; i < 6; i++) {
      const phone = `+82101111200${i}`;
      const started = await addPhone(phone);
      pending.push([String(started.json.id), lastCode(world.sms, phone)]);
    }
    const results = await Promise.all(pending.map(([id, code]) => verify(id, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.json.type === problemType('too-many-phones'))).toHaveLength(3);
  });

  it('sends no code for an account that does not exist, not even when asked again, and no code activates it', async () => {
    const started = await signUp({ accountNumber: '999999999', phone: OTHER_PHONE });
    expect(started.status).toBe(202);
    // A decoy stays a decoy: asking for the code again sends nothing and reveals nothing.
    const again = await resend(String(started.json.id));
    expect([again.status, Object.keys(again.json)]).toEqual([202, ['expiresInSeconds']]);
    expect(world.sms.list(OTHER_PHONE)).toEqual([]);
    const results = await Promise.all(
      ['000000', '123456', '999999'].map((c) => verify(String(started.json.id), c)),
    );
    expect(results.map((r) => [r.status, r.json.type])).toEqual(
      Array(3).fill([401, problemType('otp-invalid')]),
    );
    expect((await world.deps.subscriptions.get(String(started.json.id)))?.status).toBe('pending');
  });

  it('allows five attempts per code: after five wrong ones even the right code is refused', async () => {
    const { json } = await signUp();
    const id = String(json.id);
    const code = lastCode(world.sms, REGISTERED);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await verify(id, wrong)).status).toBe(401);
    const right = await verify(id, code);
    expect([right.status, right.json.type]).toEqual([401, problemType('otp-attempts-exceeded')]);
  });

  it('refuses numbers of other countries, so the sign-up cannot text the world', async () => {
    for (const phone of ['+447911123456', '+8613800138000', '+79123456789']) {
      const response = await signUp({ phone });
      expect([response.status, response.json.type], phone).toEqual([400, problemType('phone-not-domestic')]);
    }
    expect(world.sms.list()).toEqual([]);
  });

  it('keeps the notice index and expiry right on the stored items', async () => {
    const { json } = await signUp();
    const id = String(json.id);
    const raw = async () =>
      (
        await world.table.client.send(
          new GetCommand({ TableName: world.table.tableName, Key: { pk: `SUB#${id}`, sk: 'SUB' } }),
        )
      ).Item ?? {};
    expect(await raw()).toMatchObject({ ttl: expect.any(Number) });
    expect((await raw()).gsi2pk).toBeUndefined();
    await verify(id, lastCode(world.sms, REGISTERED));
    const active = await raw();
    expect(active.ttl).toBeUndefined();
    expect(active).toMatchObject({
      gsi2pk: expect.stringMatching(/^NOTICE#\d{2}$/),
      gsi2sk: `2026-12#${id}`,
    });
    await cancel(id, accountToken());
    const ended = await raw();
    expect(ended.gsi2pk).toBeUndefined();
    expect(ended.status).toBe('ended');
  });

  it('answers 404 for an unknown id and 400 for an id that is not one', async () => {
    expect((await verify('6f1c1a2e-9a51-4d1e-8d0b-1c1a2e9a514d', '123456')).status).toBe(404);
    expect((await verify('nope', '123456')).status).toBe(400);
  });
});

describe('GET and DELETE /subscriptions/{id}, GET /accounts/{n}/subscriptions', () => {
  it('open to the account holder and to the subscriber, and to nobody else', async () => {
    const { id, verified } = await subscribeHousehold(OTHER_PHONE);
    const own = String(verified.json.accessToken);
    expect((await get(id, own)).status).toBe(200);
    expect((await get(id, accountToken())).status).toBe(200);
    const stranger = await get(id, accountToken('223456789'));
    expect([stranger.status, stranger.json.type]).toEqual([403, problemType('forbidden-subscription')]);
    const other = await subscribe({ phone: REGISTERED });
    expect((await get(id, String(other.verified.json.accessToken))).status).toBe(403);
    expect((await get(id)).status).toBe(401);
  });

  it('cancel ends the subscription and removes it from the notice fan-out', async () => {
    const { id, verified } = await subscribe();
    const response = await cancel(id, String(verified.json.accessToken));
    expect(response.json).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
    const all = [];
    for (let shard = 0; shard < 16; shard++) {
      all.push(...(await noticeRecipients(world.deps, { month: '2026-12', shard })).items);
    }
    expect(all.map((s) => s.id)).not.toContain(id);
    expect((await cancel(id, String(verified.json.accessToken))).json.status).toBe('ended');
  });

  it('lists every subscription of the account for the holder, newest first, a page at a time', async () => {
    await subscribe();
    world.clock.advance(1000);
    await subscribeHousehold(OTHER_PHONE);
    world.clock.advance(1000);
    await signUp({ phone: SECOND });
    world.clock.advance(1000);
    await addPhone('+821077778888');
    const first = await list({ limit: '3' });
    expect(first.status).toBe(200);
    const items = first.json.items as Array<{ status: string; addedBy: string; phone: string }>;
    expect(items.map((s) => [s.status, s.addedBy])).toEqual([
      ['pending', 'holder'],
      ['pending', 'self'],
      ['active', 'holder'],
    ]);
    const second = await list({ limit: '3', cursor: String(first.json.nextCursor) });
    expect((second.json.items as unknown[]).map((s) => (s as { status: string }).status)).toEqual(['active']);
    expect(second.json.nextCursor).toBeNull();
    const forged = await list({
      cursor: Buffer.from('{"v":1,"k":"bills","p":{"period":"2026-01"}}').toString('base64url'),
    });
    expect([forged.status, forged.json.type]).toEqual([400, problemType('invalid-cursor')]);
  });
});

describe("who decides where an account's bill goes", () => {
  // A bill notice carries the whole bill: before, any domestic mobile could subscribe to any account after
  // proving only that it was itself, and five strangers filled the account's places so the holder got 409.
  it('lets no stranger receive the bill, nor take the places of the holder’s phones', async () => {
    world.deps = {
      ...world.deps,
      config: {
        ...world.deps.config,
        subscriptions: { ...world.deps.config.subscriptions, maxPhonesPerAccount: 2 },
      },
    };
    const strangers = ['+821055550001', '+821055550002', '+821055550003'];
    for (const [i, phone] of strangers.entries()) {
      const started = await call(subscribeRoute, world.deps, {
        method: 'POST',
        path: '/subscriptions',
        sourceIp: `198.51.100.${i + 1}`,
        body: { accountNumber: ACCOUNT, phone, channel: 'sms', language: 'ko', consentVersion: '2026-11' },
      });
      expect(started.status).toBe(202);
      // The stranger gets no code, so no guess confirms it.
      expect(world.sms.list(phone)).toEqual([]);
      expect((await verify(String(started.json.id), '123456')).status).toBe(401);
    }
    const own = await subscribe();
    const second = await subscribe({ phone: SECOND });
    expect([own.verified.status, second.verified.status]).toEqual([200, 200]);
  });

  it('lets the holder add a household member’s phone, which confirms with its own code', async () => {
    const started = await addPhone(OTHER_PHONE, { language: 'en' });
    expect(started.status).toBe(202);
    expect(world.sms.list(OTHER_PHONE)[0]?.body).toMatch(/your code to confirm bill notices is \d{6}/);
    const wrong = await verify(String(started.json.id), '000000');
    expect(wrong.status).toBe(401);
    const { verified } = {
      verified: await verify(String(started.json.id), lastCode(world.sms, OTHER_PHONE)),
    };
    expect(verified.json.subscription).toMatchObject({ status: 'active', addedBy: 'holder' });
    // The holder sees it, and ends it.
    expect((await cancel(String(started.json.id), accountToken())).json.status).toBe('ended');
  });

  it('opens the holder’s route to that account’s token only', async () => {
    const stranger = await addPhone(OTHER_PHONE, {}, accountToken('223456789'));
    expect([stranger.status, stranger.json.type]).toEqual([403, problemType('forbidden-account')]);
    const subscriberToken = (await subscribe()).verified.json.accessToken as string;
    const byToken = await addPhone(OTHER_PHONE, {}, subscriberToken);
    expect(byToken.status).toBe(403);
    expect(world.sms.list(OTHER_PHONE)).toEqual([]);
  });
});

describe("a stranger's sign-up", () => {
  // Strangers' sign-ups were stored like real ones: listed on the holder's account, found by their phone, and a
  // STOP from the stranger's phone made them permanent items in the account's partition.
  it('shows on no account and outlives no STOP: it is kept under its id alone, and goes with its day', async () => {
    const started = await signUp({ phone: OTHER_PHONE });
    const id = String(started.json.id);
    expect((await list()).json.items).toEqual([]);
    const stop = inboundEvent(
      inboundRecord(
        { messageId: 'stranger-stop', from: OTHER_PHONE, to: '1661-0120', body: 'STOP' },
        world.clock.now(),
      ),
    );
    expect(
      (await runSqsBatch(smsInboundConsumer.handleRecord, stop, async () => world.deps)).batchItemFailures,
    ).toEqual([]);
    const raw = await world.table.client.send(
      new GetCommand({ TableName: world.table.tableName, Key: { pk: `SUB#${id}`, sk: 'SUB' } }),
    );
    expect(raw.Item).toMatchObject({ status: 'pending', decoy: true, ttl: expect.any(Number) });
    expect(raw.Item?.gsi1pk).toBeUndefined();
    // Asking for its code again is still answered alike, and still sends nothing.
    expect((await resend(id)).status).toBe(202);
    expect(world.sms.list(OTHER_PHONE).filter((m) => m.purpose === 'otp')).toEqual([]);
  });

  // The code was queued before the pending sign-up was stored: a failed write left a code on the way for a
  // subscription that did not exist.
  it('queues no code when its pending subscription cannot be stored', async () => {
    // The real store, but for the one write that fails.
    world.deps.subscriptions = Object.assign(Object.create(world.deps.subscriptions), {
      createPending: () => Promise.reject(new Error('DynamoDB throttled')),
    });
    const failed = await signUp();
    expect(failed.status).toBe(500);
    expect(world.sms.list(REGISTERED)).toEqual([]);
  });
});

describe('the notice fan-out index', () => {
  beforeEach(() => {
    // Dozens of residents sign up here, all from the test's one client address.
    const { config } = world.deps;
    const limits = { ...config.limits, clientCodeRequests: { max: 1000, windowMinutes: 15 } };
    world.deps = { ...world.deps, config: { ...config, limits } };
  });

  /** `count` new accounts, each with a mobile of its own: 9-digit account numbers from `accounts`, phones from `phones`. */
  async function newcomers(count: number, series: { accounts: string; phones: string }) {
    const people = Array.from({ length: count }, (_, i) => ({
      accountNumber: `${series.accounts}${String(i).padStart(4, '0')}`,
      phone: `${series.phones}${String(i).padStart(4, '0')}`,
    }));
    await world.deps.accounts.putMany(
      people.map(({ accountNumber, phone }) => anAccount({ accountNumber, phones: [phone] })),
    );
    return people;
  }

  it('finds, shard by shard, exactly the active subscriptions effective by a month', async () => {
    const people = await newcomers(12, { accounts: '30000', phones: '+82102222' });
    const december: string[] = [];
    const january: string[] = [];
    for (const [i, person] of people.entries()) {
      // The first six are verified by the 8th (December), the rest after it (January).
      world.clock.set(new Date(i < 6 ? '2026-12-05T01:00:00Z' : '2026-12-20T01:00:00Z'));
      const { id } = await subscribe(person);
      (i < 6 ? december : january).push(id);
    }
    const cancelled = december.pop() as string;
    await cancel(cancelled, accountToken(people[5]?.accountNumber));

    const read = async (month: string) => {
      const ids: string[] = [];
      for (let shard = 0; shard < world.deps.config.subscriptions.fanOutShards; shard++) {
        let cursor: string | undefined;
        do {
          const page = await noticeRecipients(world.deps, {
            month,
            shard,
            limit: 2,
            ...(cursor ? { cursor } : {}),
          });
          ids.push(...page.items.map((s) => s.id));
          cursor = page.cursor;
        } while (cursor);
      }
      return ids.sort();
    };
    expect(await read('2026-11')).toEqual([]);
    expect(await read('2026-12')).toEqual([...december].sort());
    expect(await read('2027-01')).toEqual([...december, ...january].sort());
  });

  // An operator lists a month's recipients when shards hold more than a page each: every page of every shard
  // is read, each recipient comes once, in shard order, and progress is told page by page.
  it('are all read, every shard page by page, by allNoticeRecipients', async () => {
    const people = await newcomers(40, { accounts: '31000', phones: '+82103333' });
    const ids: string[] = [];
    for (const person of people) ids.push((await subscribe(person)).id);
    const shards = world.deps.config.subscriptions.fanOutShards;
    const reports: RecipientsProgress[] = [];

    // 40 recipients in 16 shards: some shard holds three or more, more than one page of two.
    const { recipients, perShard } = await allNoticeRecipients(world.deps, '2026-12', {
      pageSize: 2,
      onPage: (progress) => reports.push(progress),
    });

    expect(recipients.map((s) => s.id).sort()).toEqual([...ids].sort());
    const shardOf = (id: string) => fanOutShard(id, shards);
    expect(perShard).toEqual(
      Array.from({ length: shards }, (_, shard) => ids.filter((id) => shardOf(id) === shard).length),
    );
    expect(recipients.map((s) => shardOf(s.id))).toEqual(
      recipients.map((s) => shardOf(s.id)).sort((a, b) => a - b),
    );
    expect(Math.max(...perShard)).toBeGreaterThan(2);
    expect(reports.map((r) => r.pages)).toEqual(reports.map((_, i) => i + 1));
    expect(reports.length).toBeGreaterThan(shards);
    expect(reports.at(-1)).toEqual({ shards, shardsDone: shards, pages: reports.length, recipients: 40 });
    expect(await allNoticeRecipients(world.deps, '2026-11')).toEqual({
      recipients: [],
      perShard: Array(shards).fill(0),
    });
  });

  it('are listed for operators by `ops notices recipients`, reading every shard', async () => {
    await subscribe();
    await subscribe({ phone: SECOND, channel: 'messenger' });
    const run = (month: string) =>
      spawnSync(
        process.execPath,
        [
          'node_modules/tsx/dist/cli.mjs',
          'bin/ops.ts',
          'notices',
          'recipients',
          '--month',
          month,
          '--endpoint',
          world.table.endpoint,
          '--table',
          world.table.tableName,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
    const december = run('2026-12');
    expect(december.status).toBe(0);
    expect(december.stdout).toMatch(/total +2\n/);
    expect(december.stdout).toMatch(/sms +1\n/);
    expect(december.stdout).toMatch(/messenger +1\n/);
    expect(december.stderr).toContain('notices recipients: 100% (16 of 16 shards, 2 found)\n');
    expect(run('2026-11').stdout).toMatch(/total +0\n/);
    const bad = run('December');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--month "December" is not a month as YYYY-MM.');
  }, 120_000);

  it('refuses a month that is not YYYY-MM and a shard out of range', async () => {
    await expect(noticeRecipients(world.deps, { month: '2026-13', shard: 0 })).rejects.toThrow(/YYYY-MM/);
    await expect(noticeRecipients(world.deps, { month: '2026-12', shard: 16 })).rejects.toThrow(/shard/);
    await expect(allNoticeRecipients(world.deps, 'December')).rejects.toThrow(/YYYY-MM/);
  });
});
