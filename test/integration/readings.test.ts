import { beforeEach, describe, expect, it } from 'vitest';
import { grantToken } from '#app/auth';
import { route as listRoute } from '#handlers/http/list-readings';
import { route as submitRoute } from '#handlers/http/submit-reading';
import { smsInboundConsumer } from '#handlers/sqs/consumers';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { aBill, anAccount } from '#test/support/builders';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';
import { inboundEvent, inboundRecord } from '#test/support/sqs';

const TWO_TARIFF = '1234567833';
const SINGLE = '1234567834';
const MULTI = '1234567835';
const PHONE = '+79123456789';
const STRANGER = '+79220001122';
let world: TestWorld;
let counter = 0;

async function sms(body: string, from = PHONE) {
  counter++;
  const event = inboundEvent(
    inboundRecord({ messageId: `in-${counter}`, from, to: '+79037672060', body }, world.clock.now()),
  );
  const before = world.sms.list(from).length;
  const response = await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);
  expect(response.batchItemFailures).toEqual([]);
  const replies = world.sms.list(from).slice(0, world.sms.list(from).length - before);
  expect(replies.length).toBeLessThanOrEqual(1);
  return replies[0]?.body;
}

const token = (account: string) => grantToken(world.deps, 'account', account).accessToken;
/** POST /accounts/{account}/readings with the account's token. */
const submit = (account: string, body: unknown) =>
  call(submitRoute, world.deps, {
    method: 'POST',
    path: `/accounts/${account}/readings`,
    routePath: '/accounts/{accountNumber}/readings',
    pathParameters: { accountNumber: account },
    headers: { authorization: `Bearer ${token(account)}` },
    body,
  });

const readingsOf = async (account: string) => (await world.deps.readings.list(account, { limit: 50 })).items;

beforeEach(async () => {
  // 10:00 on 2026-12-16 in Yekaterinburg: inside the 15th-25th window.
  world = await testWorld('tyumen-power', new Date('2026-12-16T05:00:00Z'));
  const twoTariff = {
    id: 'EM-1',
    kind: 'two-tariff' as const,
    unit: 'kWh' as const,
    registers: ['day', 'night'],
  };
  const single = { id: 'EM-2', kind: 'single' as const, unit: 'kWh' as const, registers: ['total'] };
  await world.deps.accounts.putMany([
    anAccount({ accountNumber: TWO_TARIFF, district: 'tmn-central', phones: [PHONE], meters: [twoTariff] }),
    anAccount({ accountNumber: SINGLE, district: 'tmn-central', phones: [PHONE], meters: [single] }),
    anAccount({
      accountNumber: MULTI,
      district: 'tmn-central',
      phones: [PHONE],
      meters: [
        { ...single, id: 'EM-3' },
        { ...single, id: 'EM-4' },
      ],
    }),
  ]);
  // Six months of 200 kWh a month: the plausibility factor 3 flags more than 600.
  await world.deps.bills.putMany(
    ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'].map((period) =>
      aBill({
        accountNumber: TWO_TARIFF,
        period,
        currency: 'RUB',
        usagePeriod: {
          from: `${period}-01`,
          to: `${period}-${period === '2026-06' || period === '2026-09' || period === '2026-11' ? '30' : '31'}`,
        },
        usage: { volume: 200, unit: 'kWh', registers: { day: 130, night: 70 }, estimated: false },
      }),
    ),
  );
});

describe('readings by SMS (Tyumen: account day night)', () => {
  it('accepts a two-tariff reading with no reply, and keeps it with its source, time and message id', async () => {
    expect(await sms('1234567833 1234 187')).toBeUndefined();
    const [reading] = await readingsOf(TWO_TARIFF);
    expect(reading).toMatchObject({
      meterId: 'EM-1',
      period: '2026-12',
      values: { day: 1234, night: 187 },
      source: 'sms',
      status: 'accepted',
      messageId: expect.stringMatching(/^in-/),
    });
  });

  it('keeps the last reading of the window and marks the earlier ones superseded', async () => {
    await sms('1234567833 1234 187');
    world.clock.advance(3600_000);
    await sms('1234567833 1240 190 ivanov@mail.ru');
    const readings = await readingsOf(TWO_TARIFF);
    expect(readings.map((r) => [r.values.day, r.status])).toEqual([
      [1240, 'accepted'],
      [1234, 'superseded'],
    ]);
    expect(readings[0]?.email).toBe('ivanov@mail.ru');
  });

  it('measures against last month’s reading, and flags (but accepts) a jump far above the average', async () => {
    world.clock.set(new Date('2026-11-16T05:00:00Z'));
    await sms('1234567833 1000 500');
    world.clock.set(new Date('2026-12-16T05:00:00Z'));
    expect(await sms('1234567833 900 510')).toMatch(
      /^Тюменская энергосбытовая компания: показание 900 меньше предыдущего \(1000\)/,
    );
    expect(await sms('1234567833 1700 600')).toMatch(/Расход намного выше обычного/);
    expect((await readingsOf(TWO_TARIFF))[0]).toMatchObject({ status: 'flagged', consumption: 800 });
  });

  // A resident's very first SMS was checked against nothing, though the last bill printed the meter at 1234: a
  // typo of 1200 was accepted and the next bill would have charged a negative consumption.
  it('checks the first SMS of a resident against the current reading printed on the last bill', async () => {
    await world.deps.bills.putMany([
      aBill({
        accountNumber: SINGLE,
        period: '2026-12',
        currency: 'RUB',
        usagePeriod: { from: '2026-11-01', to: '2026-11-30' },
        usage: { volume: 200, unit: 'kWh', registers: { total: 200 }, estimated: false },
        meterReadings: [
          {
            meterId: 'EM-2',
            register: 'total',
            previous: { value: 1034, date: '2026-10-31', kind: 'actual' },
            current: { value: 1234, date: '2026-11-30', kind: 'actual' },
            volume: 200,
          },
        ],
      }),
    ]);
    const refused = await submit(SINGLE, { readings: [1200] });
    expect([refused.status, refused.json.type]).toEqual([422, problemType('reading-below-previous')]);
    expect(refused.json).toMatchObject({ register: 'total', value: 1200, previous: 1234 });
    expect(await sms('1234567834 1200')).toMatch(/показание 1200 меньше предыдущего \(1234\)/);
    expect(await readingsOf(SINGLE)).toEqual([]);
    expect((await submit(SINGLE, { readings: [1290] })).status).toBe(201);
  });

  // Under the registered-only policy a stranger once learned which accounts exist: a missing account answered
  // "not found", an existing one "phone not registered".
  it('answers a phone that may not send an account’s readings alike, whether or not the account exists', async () => {
    const missing = await sms('9999999999 1234 187', STRANGER);
    const existing = await sms('1234567833 1234 187', STRANGER);
    expect(missing?.replace('9999999999', 'N')).toBe(existing?.replace('1234567833', 'N'));
    expect(existing).toMatch(/не зарегистрирован на лицевом счёте 1234567833\. Проверьте номер в квитанции/);
    // A registered phone of another account gets the same answer for a missing one.
    expect(await sms('9999999999 1234')).toMatch(/не зарегистрирован на лицевом счёте 9999999999/);
  });

  it('answers every error with exactly one reply that names it and shows the format', async () => {
    expect(await sms('1234567833 1234')).toMatch(
      /нужно показаний: 2\. Формат: лицевой счёт и показания \(пример: 1234567833 1234; двухтарифный: день ночь, 1234567833 1234 187\)/,
    );
    expect(await sms('1234567833 1234 187', STRANGER)).toMatch(
      /не зарегистрирован на лицевом счёте 1234567833/,
    );
    expect(await sms('1234567835 1234')).toMatch(/только одного счётчика/);
    expect(await sms('показания 1234')).toMatch(/сообщение не распознано/);
    expect(await sms('1234567834 1234567')).toMatch(/не больше 6 цифр/);
    expect(await readingsOf(TWO_TARIFF)).toEqual([]);
    expect(await readingsOf(MULTI)).toEqual([]);
  });

  it('refuses readings outside the window, naming it', async () => {
    world.clock.set(new Date('2026-12-26T05:00:00Z'));
    expect(await sms('1234567834 1234')).toMatch(/принимаются с 15 по 25 число/);
    expect(await readingsOf(SINGLE)).toEqual([]);
  });

  it('answers HELP with the format and the window, and BILL with the latest bill to a registered phone only', async () => {
    expect(await sms('ПОМОЩЬ')).toMatch(/Формат:.*Приём с 15 по 25 число/);
    expect(await sms('СЧЕТ 1234567833')).toMatch(
      /счёт за 2026-11 — 246,00\s?₽, оплатить до 2026-11-28 \(просрочен\)/,
    );
    expect(await sms('СЧЕТ 1234567833', STRANGER)).toMatch(/не зарегистрирован/);
  });

  it('processes a redelivered reading once', async () => {
    const event = (id: string) =>
      inboundEvent(
        ...[1, 2].map(() =>
          inboundRecord(
            { messageId: id, from: PHONE, to: '+79037672060', body: '1234567833 10' },
            world.clock.now(),
          ),
        ),
      );
    for (let i = 0; i < 3; i++)
      await runSqsBatch(smsInboundConsumer.handleRecord, event('same-id'), async () => world.deps);
    expect(world.sms.list(PHONE).filter((m) => m.purpose === 'reply')).toHaveLength(1);
  });
});

describe('POST and GET /accounts/{n}/readings', () => {
  it('applies the same rules and answers with problem+json', async () => {
    const accepted = await submit(TWO_TARIFF, { readings: [1234, 187] });
    expect(accepted.status).toBe(201);
    expect(accepted.json).toMatchObject({
      flagged: false,
      reading: { source: 'web', values: { day: 1234, night: 187 } },
    });
    const count = await submit(TWO_TARIFF, { readings: [1234] });
    expect([count.status, count.json.type]).toEqual([422, problemType('reading-register-count')]);
    const multi = await submit(MULTI, { readings: [10] });
    expect([multi.status, multi.json.type]).toEqual([422, problemType('account-multiple-meters')]);
    expect((await submit(MULTI, { meterId: 'EM-4', readings: [10] })).status).toBe(201);
    const bad = await submit(TWO_TARIFF, { readings: [-1] });
    expect([bad.status, bad.json.type]).toEqual([400, problemType('validation-error')]);
    world.clock.set(new Date('2026-12-27T05:00:00Z'));
    const closed = await submit(SINGLE, { readings: [10] });
    expect([closed.status, closed.json.type]).toEqual([422, problemType('reading-window-closed')]);
  });

  it('lists readings newest first with period, values, source and status, a page at a time', async () => {
    await submit(TWO_TARIFF, { readings: [1234, 187] });
    world.clock.advance(60_000);
    await sms('1234567833 1240 190');
    const list = (query?: Record<string, string>) =>
      call(listRoute, world.deps, {
        method: 'GET',
        path: `/accounts/${TWO_TARIFF}/readings`,
        routePath: '/accounts/{accountNumber}/readings',
        pathParameters: { accountNumber: TWO_TARIFF },
        headers: { authorization: `Bearer ${token(TWO_TARIFF)}` },
        ...(query ? { query } : {}),
      });
    const first = await list({ limit: '1' });
    expect(first.json.items).toMatchObject([
      { source: 'sms', status: 'accepted', period: '2026-12', values: { day: 1240 } },
    ]);
    const second = await list({ limit: '1', cursor: String(first.json.nextCursor) });
    expect(second.json.items).toMatchObject([{ source: 'web', status: 'superseded' }]);
    expect((await list({ cursor: 'bogus' })).status).toBe(400);
  });
});

describe('readings per meter and window', () => {
  // Nothing limited how many readings a meter took in a window, from the web with a token or by SMS from a
  // registered phone, and every reading reads the account's whole history: each one made every later one dearer.
  it('refuses the 11th reading of a window on the web (422) and by SMS (one reply), and keeps the 10 stored', async () => {
    for (let i = 0; i < 10; i++) {
      world.clock.advance(60_000);
      expect((await submit(SINGLE, { readings: [100 + i] })).status).toBe(201);
    }
    world.clock.advance(60_000);
    const web = await submit(SINGLE, { readings: [200] });
    expect([web.status, web.json.type, web.json.max]).toEqual([422, problemType('reading-window-full'), 10]);
    expect(await sms('1234567834 201')).toBe(
      'Тюменская энергосбытовая компания: за месяц принимается не больше 10 показаний счётчика, больше не принимаем. Учитываются последние принятые.',
    );
    const stored = await readingsOf(SINGLE);
    expect(stored.map((r) => r.values.total)).toEqual([109, 108, 107, 106, 105, 104, 103, 102, 101, 100]);
    expect(stored.filter((r) => r.status !== 'superseded').map((r) => r.values.total)).toEqual([109]);
    // Another meter's window, and the next month's, are counted apart.
    expect((await submit(TWO_TARIFF, { readings: [1234, 187] })).status).toBe(201);
    world.clock.set(new Date('2027-01-16T05:00:00Z'));
    expect((await submit(SINGLE, { readings: [300] })).status).toBe(201);
  });

  it('stores no more than the cap when readings of one window arrive at once', async () => {
    world.deps.config = {
      ...world.deps.config,
      readings: { ...world.deps.config.readings, maxPerWindow: 3 },
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => submit(SINGLE, { readings: [100 + i] })),
    );
    const stored = await readingsOf(SINGLE);
    expect(stored).toHaveLength(3);
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    // The rest are refused as over the cap, or (having lost their turn every time) asked to send again.
    for (const r of results.filter((r) => r.status !== 201)) {
      expect([problemType('reading-window-full'), problemType('reading-busy')]).toContain(r.json.type);
    }
    expect(stored.filter((r) => r.status !== 'superseded')).toHaveLength(1);
  });
});

describe('readings that arrive together', () => {
  // Ten readings submitted at once for one account once left 2-5 of them counting in the window.
  it('leaves exactly one reading counting when ten are submitted at once on the web', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submit(TWO_TARIFF, { readings: [1000 + i, 100 + i] })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const stored = await readingsOf(TWO_TARIFF);
    expect(stored).toHaveLength(10);
    const counting = stored.filter((r) => r.status !== 'superseded');
    expect(counting).toHaveLength(1);
    // The one that counts is the last sent: the same instant here, so the id decides, as for every worker.
    const last = [...stored].sort((a, b) => (a.id < b.id ? 1 : -1))[0];
    expect(counting[0]?.id).toBe(last?.id);
  });

  it('leaves exactly one counting when SMS readings of one window are processed at once, and the last sent wins', async () => {
    const sent = (i: number) => new Date(world.clock.now().getTime() + i * 1000);
    const event = inboundEvent(
      ...Array.from({ length: 8 }, (_, i) =>
        inboundRecord(
          { messageId: `together-${i}`, from: PHONE, to: '+79037672060', body: `1234567834 ${100 + i}` },
          sent(i),
        ),
      ),
    );
    world.clock.advance(60_000);
    // Each record in its own concurrent batch, as parallel consumers would take them.
    await Promise.all(
      event.Records.map((record) =>
        runSqsBatch(smsInboundConsumer.handleRecord, { Records: [record] }, async () => world.deps),
      ),
    );
    const stored = await readingsOf(SINGLE);
    expect(stored).toHaveLength(8);
    const counting = stored.filter((r) => r.status !== 'superseded');
    expect(counting.map((r) => r.values.total)).toEqual([107]);
  });
});

describe('confirmation e-mail', () => {
  const ADDRESS = 'ivan.petrov@mail.ru';
  /** The world's utility with these daily caps on confirmations. */
  const capConfirmations = (perAccountPerDay: number, perAddressPerDay: number) => {
    const { config } = world.deps;
    world.deps.config = {
      ...config,
      limits: { ...config.limits, confirmationEmails: { perAccountPerDay, perAddressPerDay } },
    };
  };
  /** The web answer's confirmationEmail for a reading of the account sent with an address. */
  const confirmation = async (account: string, total: number, email: string) =>
    (await submit(account, { readings: [total], email })).json.confirmationEmail;

  // Anyone may type any address after a reading: unlimited confirmations went to it.
  it('caps confirmations per address and per account in a day, and keeps the readings', async () => {
    capConfirmations(3, 2);
    for (let i = 0; i < 3; i++) {
      world.clock.advance(60_000);
      expect((await submit(SINGLE, { readings: [10 + i], email: ADDRESS })).json.confirmationEmail).toBe(
        i < 2 ? 'queued' : 'capped',
      );
    }
    expect(world.email.list(ADDRESS)).toHaveLength(2);
    // Another address of the same account: one more, then the account's cap.
    world.clock.advance(60_000);
    expect((await submit(SINGLE, { readings: [20], email: 'anna@mail.ru' })).json.confirmationEmail).toBe(
      'queued',
    );
    world.clock.advance(60_000);
    expect((await sms('1234567834 21 maria@mail.ru')) ?? 'no reply').toBe('no reply');
    expect(world.email.list('maria@mail.ru')).toEqual([]);
    expect((await readingsOf(SINGLE)).map((r) => r.values.total)).toContain(21);
    expect(world.metrics.total('EmailCapped')).toBe(2);
  });

  // The address was counted before the account was checked: someone whose own account had used its confirmations
  // could still use up, one refused confirmation at a time, the day's allowance of any address they named.
  it('an account at its cap spends nothing of the allowance of the address it names', async () => {
    capConfirmations(1, 1);
    expect(await confirmation(SINGLE, 10, 'own@mail.ru')).toBe('queued');
    world.clock.advance(60_000);
    expect(await confirmation(SINGLE, 11, ADDRESS)).toBe('capped');
    // The address's own holder still gets the confirmation of their reading.
    world.clock.advance(60_000);
    const owner = await submit(TWO_TARIFF, { readings: [1234, 187], email: ADDRESS });
    expect(owner.json.confirmationEmail).toBe('queued');
    expect(world.email.list(ADDRESS)).toHaveLength(1);
  });

  // The caps counted in windows of 1,440 minutes from the epoch: in Seoul a "day" ran from 09:00 to 09:00.
  it("counts a day as the utility's local day: Seoul's turns at 15:00 UTC, not at UTC midnight", async () => {
    // 23:58 on the 16th in Seoul (UTC+9), inside the 15th-25th window.
    world = await testWorld('seoul-water', new Date('2026-12-16T14:58:00Z'));
    await world.deps.accounts.putMany([anAccount()]);
    const SEOUL = anAccount().accountNumber;
    capConfirmations(1, 1);
    expect(await confirmation(SEOUL, 10, ADDRESS)).toBe('queued');
    world.clock.set(new Date('2026-12-16T14:59:59Z'));
    expect(await confirmation(SEOUL, 11, ADDRESS)).toBe('capped');
    // Local midnight: the 17th in Seoul.
    world.clock.set(new Date('2026-12-16T15:00:00Z'));
    expect(await confirmation(SEOUL, 12, ADDRESS)).toBe('queued');
    // UTC midnight is 09:00 on the 17th in Seoul: the same day, still capped.
    world.clock.set(new Date('2026-12-17T00:00:00Z'));
    expect(await confirmation(SEOUL, 13, ADDRESS)).toBe('capped');
    expect(world.email.list(ADDRESS)).toHaveLength(2);
  });

  it('e-mails an accepted SMS reading that carries an address, in the utility’s language, and sends no SMS', async () => {
    expect(await sms(`1234567833 1234,5 187 ${ADDRESS}`)).toBeUndefined();
    const [reading] = await readingsOf(TWO_TARIFF);
    expect(reading?.email).toBe(ADDRESS);
    const mails = world.email.list(ADDRESS);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to: ADDRESS,
      purpose: 'reading-confirmation',
      subject: 'Показания приняты: лицевой счёт 1234567833, декабрь 2026',
    });
    const text = mails[0]?.text ?? '';
    expect(text).toContain('Тюменская энергосбытовая компания');
    expect(text).toContain('день: 1234 кВт·ч');
    expect(text).toContain('ночь: 187 кВт·ч');
    // 10:00 local (Asia/Yekaterinburg) on the 16th, not the UTC 05:00.
    expect(text).toContain('Получены: 16.12.2026 10:00 (SMS)');
    expect(text).toContain('8-800-250-00-00');
  });

  it('sends nothing for a rejected reading, and one e-mail for a redelivered message', async () => {
    expect(await sms(`1234567833 1234 ${ADDRESS}`)).toMatch(/нужно показаний: 2/);
    expect(world.email.list()).toEqual([]);
    const event = inboundEvent(
      ...[1, 2, 3].map(() =>
        inboundRecord(
          { messageId: 'with-mail', from: PHONE, to: '+79037672060', body: `1234567834 10 ${ADDRESS}` },
          world.clock.now(),
        ),
      ),
    );
    for (let i = 0; i < 2; i++)
      await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);
    expect(world.email.list(ADDRESS)).toHaveLength(1);
  });

  it('includes the leak-check advice when the reading is flagged', async () => {
    world.clock.set(new Date('2026-11-16T05:00:00Z'));
    await sms('1234567833 1000 500');
    world.clock.set(new Date('2026-12-16T05:00:00Z'));
    expect(await sms(`1234567833 1700 600 ${ADDRESS}`)).toMatch(/Расход намного выше обычного/);
    expect(world.email.list(ADDRESS)[0]?.text).toMatch(/Расход намного выше обычного/);
  });

  // SES throttled while a resident texted a reading with an address: the e-mail was sent inside the inbound
  // consumer, the failure marked the message failed, and the redelivery (finding it done) never sent it at all.
  it('survives an e-mail provider outage: the outbound queue delivers it again and it is sent once', async () => {
    const ses = world.deps.email;
    let attempts = 0;
    world.deps.email = {
      send: (mail) => (++attempts === 1 ? Promise.reject(new Error('SES throttled')) : ses.send(mail)),
    };
    const event = inboundEvent(
      inboundRecord(
        { messageId: 'mail-fails', from: PHONE, to: '+79037672060', body: `1234567834 10 ${ADDRESS}` },
        world.clock.now(),
      ),
    );

    const first = await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);

    // The inbound message is done: it only queued the e-mail. The outbound job failed once and was sent on its
    // second delivery; a redelivered inbound message queues nothing more.
    expect(first.batchItemFailures).toEqual([]);
    expect(attempts).toBe(2);
    expect(world.email.list(ADDRESS)).toHaveLength(1);
    await runSqsBatch(smsInboundConsumer.handleRecord, event, async () => world.deps);
    expect(world.email.list(ADDRESS)).toHaveLength(1);
    expect(await readingsOf(SINGLE)).toHaveLength(1);
    // Accepted: no reply SMS.
    expect(world.sms.list(PHONE)).toEqual([]);
    expect(world.metrics.total('EmailSent')).toBe(1);
  });

  it('confirms a web reading when the body names an address: queued, whatever the e-mail provider does', async () => {
    const sent = await submit(TWO_TARIFF, { readings: [1234, 187], email: ADDRESS });
    expect([sent.status, sent.json.confirmationEmail]).toEqual([201, 'queued']);
    expect(world.email.list(ADDRESS)[0]?.text).toContain('(сайт)');
    const none = await submit(SINGLE, { readings: [10] });
    expect([none.status, none.json.confirmationEmail]).toEqual([201, null]);
    const bad = await submit(SINGLE, { readings: [10], email: 'not-an-address' });
    expect([bad.status, bad.json.type]).toEqual([400, problemType('validation-error')]);
    // The route never calls the provider: one that is down changes nothing in the answer.
    world.deps.email = { send: () => Promise.reject(new Error('SES throttled')) };
    world.clock.advance(60_000);
    const down = await submit(SINGLE, { readings: [11], email: ADDRESS });
    expect([down.status, down.json.confirmationEmail]).toEqual([201, 'queued']);
  });

  it('keeps the reading and says failed when the e-mail cannot even be queued', async () => {
    world.deps.outboundQueue = { enqueue: () => Promise.reject(new Error('SQS unavailable')) };
    const failed = await submit(SINGLE, { readings: [11], email: ADDRESS });
    expect([failed.status, failed.json.confirmationEmail]).toEqual([201, 'failed']);
    expect((await readingsOf(SINGLE))[0]).toMatchObject({ values: { total: 11 }, email: ADDRESS });
  });

  it('sends none where the utility has no e-mail channel', async () => {
    world.deps.config = {
      ...world.deps.config,
      channels: { ...world.deps.config.channels, email: { provider: 'none' } },
    };
    expect(await sms(`1234567834 10 ${ADDRESS}`)).toBeUndefined();
    expect(world.email.list()).toEqual([]);
    expect((await readingsOf(SINGLE))[0]?.email).toBe(ADDRESS);
  });
});
