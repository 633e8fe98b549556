import { spawnSync } from 'node:child_process';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { allNoticeRecipients, noticeRecipients, type RecipientsProgress } from '#app/notice-recipients';
import { fanOutShard } from '#domain/subscription';
import { route as cancelRoute } from '#handlers/http/cancel-subscription';
import { route as getRoute } from '#handlers/http/get-subscription';
import { route as listRoute } from '#handlers/http/list-account-subscriptions';
import { route as subscribeRoute } from '#handlers/http/subscribe';
import { route as codeRoute } from '#handlers/http/subscription-code';
import { route as verifyRoute } from '#handlers/http/verify-subscription';
import { anAccount } from '#test/support/builders';
import { lastCode, type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

const ACCOUNT = '123456789';
const REGISTERED = '+821012345678';
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

const verify = (id: string, code: string) =>
  call(verifyRoute, world.deps, {
    method: 'POST',
    path: `/subscriptions/${id}/verify`,
    routePath: '/subscriptions/{id}/verify',
    pathParameters: { id },
    body: { code },
  });

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

/** Signs up and verifies; returns the subscription id and the verify response. */
async function subscribe(over: Record<string, unknown> = {}) {
  const started = await signUp(over);
  expect(started.status).toBe(202);
  const id = String(started.json.id);
  const phone = String(over.phone ?? REGISTERED);
  const verified = await verify(id, lastCode(world.sms, phone));
  return { id, verified };
}

beforeEach(async () => {
  // 10:00 on 2026-12-05 in Seoul.
  world = await testWorld('seoul-water', new Date('2026-12-05T01:00:00Z'));
  await world.deps.accounts.putMany([anAccount({ accountNumber: ACCOUNT, phones: [REGISTERED] })]);
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

  it('answers the same for an account that does not exist', async () => {
    const known = await signUp({ phone: OTHER_PHONE });
    const unknown = await signUp({ accountNumber: '999999999', phone: '+821055554444' });
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.json).sort()).toEqual(Object.keys(known.json).sort());
    expect(unknown.json.message).toBe(known.json.message);
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
    expect(await world.deps.subscriptions.listByAccount(ACCOUNT)).toEqual([]);
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
    expect(await world.deps.subscriptions.listByAccount(ACCOUNT)).toHaveLength(1);
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

  it('lists a phone that is not registered on the account as such', async () => {
    const { verified } = await subscribe({ phone: OTHER_PHONE });
    expect(verified.json.subscription).toMatchObject({ status: 'active', registeredPhone: false });
  });

  it('puts the cutoff at the end of the 8th in Seoul, where UTC is still on the 8th a while longer', async () => {
    world.clock.set(new Date('2026-12-08T14:59:59Z'));
    expect((await subscribe()).verified.json.subscription).toMatchObject({ effectiveMonth: '2026-12' });
    world.clock.set(new Date('2026-12-08T15:00:00Z'));
    expect((await subscribe({ phone: OTHER_PHONE })).verified.json.subscription).toMatchObject({
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
    const all = await world.deps.subscriptions.listByAccount(ACCOUNT);
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
    const first = await subscribe({ phone: phones[0] });
    await subscribe({ phone: phones[1] });
    const third = await subscribe({ phone: phones[2] });
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
      const started = await signUp({ phone });
      pending.push([String(started.json.id), lastCode(world.sms, phone)]);
    }
    const results = await Promise.all(pending.map(([id, code]) => verify(id, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.json.type === problemType('too-many-phones'))).toHaveLength(3);
  });

  it('sends no code for an account that does not exist, and no code activates it', async () => {
    const started = await signUp({ accountNumber: '999999999', phone: OTHER_PHONE });
    expect(started.status).toBe(202);
    expect(world.sms.list(OTHER_PHONE)).toEqual([]);
    const results = await Promise.all(
      ['000000', '123456', '999999'].map((c) => verify(String(started.json.id), c)),
    );
    expect(results.map((r) => r.status)).toEqual([401, 401, 401]);
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
    const { id, verified } = await subscribe({ phone: OTHER_PHONE });
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

  it('lists every subscription of the account for the holder', async () => {
    await subscribe();
    await subscribe({ phone: OTHER_PHONE });
    await signUp({ phone: '+821077778888' });
    const response = await call(listRoute, world.deps, {
      method: 'GET',
      path: `/accounts/${ACCOUNT}/subscriptions`,
      routePath: '/accounts/{accountNumber}/subscriptions',
      pathParameters: { accountNumber: ACCOUNT },
      headers: { authorization: `Bearer ${accountToken()}` },
    });
    expect(response.status).toBe(200);
    const items = response.json.items as Array<{ status: string }>;
    expect(items.map((s) => s.status).sort()).toEqual(['active', 'active', 'pending']);
  });
});

describe('the notice fan-out index', () => {
  /** `count` new accounts, each with a mobile of its own: 9-digit account numbers from `accounts`, phones from `phones`. */
  async function newcomers(count: number, series: { accounts: string; phones: string }) {
    const people = Array.from({ length: count }, (_, i) => ({
      accountNumber: `${series.accounts}${String(i).padStart(4, '0')}`,
      phone: `${series.phones}${String(i).padStart(4, '0')}`,
    }));
    await world.deps.accounts.putMany(
      people.map(({ accountNumber }) => anAccount({ accountNumber, phones: [] })),
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
    await subscribe({ phone: OTHER_PHONE, channel: 'messenger' });
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
