// GET /accounts/{n} and the refusal texts of POST /accounts/{n}/readings: what a resident's pages are built from.
import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { route as getAccountRoute } from '#handlers/http/get-account';
import { route as submitRoute } from '#handlers/http/submit-reading';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';
import { inboundEvent, inboundRecord } from '#test/support/sqs';

const ACCOUNT = '1234567833';
const OTHER = '1234567834';
const PHONE = '+79123456789';
let world: TestWorld;

const token = (account: string) => grantToken(world.deps, 'account', account).accessToken;

const getAccount = (account: string, headers: Record<string, string> = {}, bearer = token(account)) =>
  call(getAccountRoute, world.deps, {
    method: 'GET',
    path: `/accounts/${account}`,
    routePath: '/accounts/{accountNumber}',
    pathParameters: { accountNumber: account },
    headers: { authorization: `Bearer ${bearer}`, ...headers },
  });

const submit = (readings: number[], headers: Record<string, string> = {}) =>
  call(submitRoute, world.deps, {
    method: 'POST',
    path: `/accounts/${ACCOUNT}/readings`,
    routePath: '/accounts/{accountNumber}/readings',
    pathParameters: { accountNumber: ACCOUNT },
    headers: { authorization: `Bearer ${token(ACCOUNT)}`, ...headers },
    body: { readings },
  });

let inbound = 0;
/** The reply the same reading gets by SMS from the account's registered phone. */
async function smsReply(body: string): Promise<string | undefined> {
  inbound++;
  const before = world.sms.list(PHONE).length;
  const event = inboundEvent(
    inboundRecord({ messageId: `in-${inbound}`, from: PHONE, to: '+79037672060', body }, world.clock.now()),
  );
  await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);
  return world.sms.list(PHONE).slice(before)[0]?.body;
}

beforeEach(async () => {
  // 10:00 on 2026-12-16 in Yekaterinburg: inside Tyumen's 15th-25th reading window.
  world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
  await world.deps.accounts.putMany([
    anAccount({
      accountNumber: ACCOUNT,
      district: 'tmn-central',
      paymentMethod: 'auto-pay',
      phones: [PHONE],
      meters: [{ id: 'EM-1', kind: 'two-tariff', unit: 'kWh', registers: ['day', 'night'] }],
    }),
    anAccount({ accountNumber: OTHER, district: 'kogalym', phones: [PHONE] }),
  ]);
});

describe('GET /accounts/{accountNumber}', () => {
  it('gives the signed-in resident their district, meters with registers, payment method and an open window', async () => {
    // A Tyumen resident who reads the portal in English signs in on the 16th to send a day/night reading.
    const answer = await getAccount(ACCOUNT, { 'accept-language': 'en' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      accountNumber: ACCOUNT,
      district: 'tmn-central',
      districtName: 'Tyumen, Central',
      meters: [{ id: 'EM-1', kind: 'two-tariff', registers: ['day', 'night'], unit: 'kWh' }],
      paymentMethod: 'auto-pay',
      readingWindow: { startDay: 15, endDay: 25, open: true },
    });
    // Nothing that names the holder or where they live leaves with it.
    expect(answer.raw.toString()).not.toContain('김철수');
  });

  it('says the window is closed after the 25th in the utility’s time zone, and names the district in Russian by default', async () => {
    // 00:30 on the 26th in Yekaterinburg is still the 25th in UTC: the utility's calendar decides.
    world.clock.set(new Date('2026-12-25T19:30:00Z'));
    const answer = await getAccount(ACCOUNT);
    expect(answer.json).toMatchObject({
      districtName: 'Тюмень, Центральный округ',
      readingWindow: { open: false },
    });
  });

  it('refuses another account’s token (403) and a missing token (401)', async () => {
    // Someone signed in to one account tries the next account number.
    const other = await getAccount(OTHER, {}, token(ACCOUNT));
    expect([other.status, other.json.type]).toEqual([403, problemType('forbidden-account')]);
    const anonymous = await call(getAccountRoute, world.deps, {
      method: 'GET',
      path: `/accounts/${ACCOUNT}`,
      routePath: '/accounts/{accountNumber}',
      pathParameters: { accountNumber: ACCOUNT },
    });
    expect(anonymous.status).toBe(401);
  });

  it('answers 404 for an account that no longer exists', async () => {
    // A token outlives an account removed by the last import.
    const gone = await getAccount('1234567899');
    expect([gone.status, gone.json.type]).toEqual([404, problemType('account-not-found')]);
  });
});

describe('refused readings on the web carry the SMS reply’s words', () => {
  it('words a closed window exactly as the SMS reply does, in Russian by default', async () => {
    // A resident sends a reading on the 27th, once on the portal and once by text.
    world.clock.set(new Date('2026-12-27T05:00:00Z'));
    const web = await submit([1234, 187]);
    const text = await smsReply(`${ACCOUNT} 1234 187`);
    expect([web.status, web.json.type]).toEqual([422, problemType('reading-window-closed')]);
    expect(text).toMatch(/показания принимаются с 15 по 25/);
    expect(web.json.localizedMessage).toBe(text);
  });

  it('words a reading below the previous one in the page’s language, with the values', async () => {
    // Last month's reading was 1000/500; this month the resident mistypes 900 on the English page.
    world.clock.set(new Date('2026-11-16T05:00:00Z'));
    expect((await submit([1000, 500])).status).toBe(201);
    world.clock.set(new Date('2026-12-16T05:00:00Z'));
    const web = await submit([900, 510], { 'accept-language': 'en-GB,en;q=0.9' });
    expect([web.status, web.json.type]).toEqual([422, problemType('reading-below-previous')]);
    expect(web.json.localizedMessage).toBe(
      'Tyumen Energy Sales: reading 900 is below the previous one (1000). Check and send again.',
    );
    expect(web.json.previous).toBe(1000);
  });
});
