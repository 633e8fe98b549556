// Payments and overdue marking on DynamoDB Local: once per reference, part payments, concurrent payments on one
// bill, the overdue sweep over the unpaid-bills index, and POST /admin/payments with and without a staff token.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoBillStore } from '#adapters/dynamo/bill-store';
import type { LocalBillSweepQueue } from '#adapters/local/local-bill-sweep-queue';
import { recordAutoPayResult } from '#app/auto-pay';
import { importPayments } from '#app/import';
import { markOverdue, startOverdueSweep } from '#app/overdue';
import { recordPayment } from '#app/payments';
import { amountPaid } from '#domain/bill';
import type { PaymentInput } from '#domain/payment';
import { runRoute } from '#handlers/http/http-handler';
import { route as recordPaymentRoute } from '#handlers/http/record-payment';
import { localBillSweepQueue } from '../../bin/local/local-deps.ts';
import { aBill, anAccount } from '../support/builders.ts';
import { anotherInstance, type TestWorld, testWorld } from '../support/deps.ts';
import { httpEvent, problemType } from '../support/http.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The CLI's own defaults must not leak in from the shell running the tests.
const { DYNAMODB_ENDPOINT: _e, UTILITYDESK_TABLE: _t, UTILITYDESK_UTILITY: _u, ...childEnv } = process.env;

const ACCOUNT = '123456789';
const NEIGHBOUR = '223456789';

let world: TestWorld;
let sweep: LocalBillSweepQueue;

const giro = (over: Partial<PaymentInput> = {}): PaymentInput => ({
  accountNumber: ACCOUNT,
  period: '2026-11',
  amount: 24_600,
  paidAt: '2026-12-09T10:15:00+09:00',
  method: 'giro',
  reference: 'GIRO-20261209-0001',
  ...over,
});

const billOf = async (accountNumber: string, period: string) => {
  const bill = await world.deps.bills.get(accountNumber, period);
  if (!bill) throw new Error(`no bill ${accountNumber} ${period}`);
  return bill;
};

beforeEach(async () => {
  // 14:00 on 10 December 2026 in Seoul.
  world = await testWorld('seoul-water', new Date('2026-12-10T05:00:00Z'));
  // Three fan-out shards, so a few bills spread over every shard and several pages.
  world.deps.config = {
    ...world.deps.config,
    subscriptions: { ...world.deps.config.subscriptions, fanOutShards: 3 },
  };
  world.deps.bills = new DynamoBillStore(world.table.client, world.table.tableName, 3);
  sweep = localBillSweepQueue(async () => world.deps, world.clock, world.metrics);
  world.deps.billSweepQueue = sweep;
  await world.deps.accounts.putMany([
    anAccount({ accountNumber: ACCOUNT, district: '11140' }),
    anAccount({ accountNumber: NEIGHBOUR, district: '11110' }),
  ]);
  await world.deps.bills.putMany([
    aBill({ accountNumber: ACCOUNT, period: '2026-11', amountDue: 24_600, dueDate: '2026-12-09' }),
    aBill({ accountNumber: NEIGHBOUR, period: '2026-11', amountDue: 18_000, dueDate: '2026-12-09' }),
  ]);
});

describe('a payment and an auto-pay withdrawal on one bill', () => {
  // The bank's auto-pay file and a counter payment for the same bill are recorded in the same moment.
  it('both land, whichever writes first, and the bill is paid and off the unpaid list', async () => {
    const AUTO = '323456789';
    await world.deps.accounts.putMany([anAccount({ accountNumber: AUTO, paymentMethod: 'auto-pay' })]);
    await world.deps.bills.putMany([
      aBill({ accountNumber: AUTO, period: '2026-11', amountDue: 24_600, dueDate: '2026-12-09' }),
    ]);

    await Promise.all([
      recordAutoPayResult(world.deps, {
        accountNumber: AUTO,
        period: '2026-11',
        status: 'withdrawn',
        amount: 10_000,
        at: '2026-12-10T13:59:00+09:00',
        reference: 'AUTO-20261210-0001',
      }),
      recordPayment(
        anotherInstance(world),
        giro({ accountNumber: AUTO, amount: 14_600, reference: 'GIRO-20261210-0002' }),
      ),
    ]);

    const bill = await billOf(AUTO, '2026-11');
    expect(bill.payments.map((p) => p.amount).sort()).toEqual([10_000, 14_600]);
    expect(bill.status).toBe('paid');
    for (const shard of [0, 1, 2]) {
      const unpaid = await world.deps.payments.unpaidDue('2026-12-09', shard, { limit: 10 });
      expect(unpaid.items.map((b) => b.accountNumber)).not.toContain(AUTO);
    }
  });
});

describe('a payment', () => {
  // The bank sends its day's file twice (a retry after a timeout): the second time changes nothing and says so.
  it('is recorded once per reference; the same payment again is a duplicate that changes nothing', async () => {
    const first = await recordPayment(world.deps, giro());
    const again = await recordPayment(world.deps, giro());

    expect(first).toMatchObject({ ok: true, result: 'recorded', bill: { status: 'paid' } });
    expect(again).toMatchObject({ ok: true, result: 'duplicate', bill: { status: 'paid' } });
    const bill = await billOf(ACCOUNT, '2026-11');
    expect(bill.status).toBe('paid');
    expect(bill.payments).toEqual([
      {
        paidAt: '2026-12-09T10:15:00+09:00',
        amount: 24_600,
        method: 'giro',
        reference: 'GIRO-20261209-0001',
      },
    ]);
  });

  it('under a reference already used for another amount or account is a conflict, and writes nothing', async () => {
    await recordPayment(world.deps, giro({ amount: 10_000 }));

    const otherAmount = await recordPayment(world.deps, giro({ amount: 14_600 }));
    const otherAccount = await recordPayment(world.deps, giro({ accountNumber: NEIGHBOUR, amount: 10_000 }));

    expect(otherAmount).toMatchObject({ ok: false, problem: { kind: 'conflict', code: 'reference-reused' } });
    expect(otherAccount).toMatchObject({
      ok: false,
      problem: { kind: 'conflict', code: 'reference-reused' },
    });
    expect(amountPaid(await billOf(ACCOUNT, '2026-11'))).toBe(10_000);
    expect((await billOf(NEIGHBOUR, '2026-11')).payments).toEqual([]);
  });

  // A resident pays 10,000 of 24,600 KRW: the bill stays unpaid, 14,600 is owed (the next bill's arrears), and the
  // bill stays in the unpaid-bills index, so the sweep marks it overdue after the due date.
  it('of part of the bill leaves it unpaid with the rest owed, and still in the unpaid-bills index', async () => {
    const outcome = await recordPayment(world.deps, giro({ amount: 10_000 }));

    expect(outcome).toMatchObject({ ok: true, result: 'recorded', bill: { status: 'unpaid' } });
    const bill = await billOf(ACCOUNT, '2026-11');
    expect(bill.status).toBe('unpaid');
    expect(bill.amountDue - amountPaid(bill)).toBe(14_600);
    const due = await unpaidDueOn('2026-12-09');
    expect(due).toContain(ACCOUNT);
  });

  // The bank's file and a clerk at the counter record two payments of one bill at the same moment.
  it('lands with another payment on the same bill made at the same time: both are on the bill', async () => {
    const other = anotherInstance(world);
    const outcomes = await Promise.all([
      recordPayment(world.deps, giro({ amount: 10_000, reference: 'BANK-1' })),
      recordPayment(other, giro({ amount: 4_600, reference: 'COUNTER-1', method: 'cash' })),
      recordPayment(world.deps, giro({ amount: 10_000, reference: 'BANK-2' })),
    ]);

    expect(outcomes.map((o) => o.ok && o.result)).toEqual(['recorded', 'recorded', 'recorded']);
    const bill = await billOf(ACCOUNT, '2026-11');
    expect(bill.payments.map((p) => p.reference).sort()).toEqual(['BANK-1', 'BANK-2', 'COUNTER-1']);
    expect(bill.status).toBe('paid');
    expect(await unpaidDueOn('2026-12-09')).not.toContain(ACCOUNT);
  });

  it('is refused, writing nothing, for an unknown account or period, a period not begun, or more than is owed', async () => {
    const refusals = await Promise.all([
      recordPayment(world.deps, giro({ accountNumber: '999999999', reference: 'R-1' })),
      recordPayment(world.deps, giro({ period: '2026-10', reference: 'R-2' })),
      recordPayment(world.deps, giro({ period: '2027-01', reference: 'R-3' })),
      recordPayment(world.deps, giro({ amount: 30_000, reference: 'R-4' })),
    ]);

    expect(refusals.map((r) => !r.ok && r.problem.code)).toEqual([
      'unknown-account',
      'unknown-bill',
      'period-in-future',
      'overpayment',
    ]);
    expect((await billOf(ACCOUNT, '2026-11')).payments).toEqual([]);
    // None of the references was taken: the corrected row can be recorded under it.
    expect(await recordPayment(world.deps, giro({ amount: 24_600, reference: 'R-4' }))).toMatchObject({
      ok: true,
      result: 'recorded',
    });
  });
});

describe('ops import payments', () => {
  const row = (line: number, cells: Record<string, string>) => ({
    line,
    record: {
      account_number: ACCOUNT,
      period: '2026-11',
      amount: '24600',
      paid_at: '2026-12-09T10:15:00+09:00',
      method: 'giro',
      reference: `REF-${line}`,
      ...cells,
    },
  });

  // A bank file with a good row, a part payment, a reference twice, a negative amount and an unknown account; then
  // the same file imported again.
  it('records the good rows once and rejects the others with their reasons; a second import records nothing', async () => {
    const rows = [
      row(2, { amount: '10000' }),
      row(3, { account_number: NEIGHBOUR, amount: '18000' }),
      row(4, { account_number: NEIGHBOUR, amount: '1', reference: 'REF-3' }),
      row(5, { amount: '-500' }),
      row(6, { account_number: '999999999' }),
    ];

    const first = await importPayments(world.deps, rows);
    const second = await importPayments(world.deps, rows);

    expect(first).toMatchObject({ read: 5, imported: 2, rejected: 3, alreadyRecorded: 0 });
    expect(first.rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'duplicate of line 3 (same reference)'],
      [5, 'amount: "-500" must not be negative'],
      [6, 'account_number: account 999999999 does not exist'],
    ]);
    expect(second).toMatchObject({ imported: 0, rejected: 3, alreadyRecorded: 2 });
    expect((await billOf(ACCOUNT, '2026-11')).status).toBe('unpaid');
    expect((await billOf(NEIGHBOUR, '2026-11')).status).toBe('paid');
  });
});

// The real CLI, as staff run it on the bank's file of the day: it runs on the machine's clock, so the file is of a
// month long past.
describe('npm run ops -- import payments', () => {
  it('records the good rows, writes the rejects file, exits 2; the same file again records nothing', async () => {
    await world.deps.bills.putMany([aBill({ accountNumber: ACCOUNT, period: '2025-06', amountDue: 24_600 })]);
    const work = await mkdtemp(join(tmpdir(), 'utilitydesk-payments-'));
    const file = join(work, 'payments.csv');
    await writeFile(
      file,
      [
        'account_number,period,amount,paid_at,method,reference',
        `${ACCOUNT},2025-06,20000,2025-06-20T09:10:00+09:00,giro,GIRO-20250620-0001`,
        `${ACCOUNT},2025-06,4600,2025-06-21T09:10:00+09:00,virtual-account,VA-20250621-0001`,
        `${ACCOUNT},2025-06,100,2025-06-21T09:11:00+09:00,card,CARD-20250621-0001`,
      ].join('\n'),
    );
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        execFile('npx', ['tsx', 'bin/ops.ts', ...args], { cwd: ROOT, env: childEnv }, (error, stdout) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
        );
      });
    const target = ['--endpoint', world.table.endpoint, '--table', world.table.tableName];

    const first = await run(['import', 'payments', file, ...target]);
    const again = await run(['import', 'payments', file, ...target]);

    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(
      /rows read\s+3\n\s+imported\s+2\n\s+rejected\s+1\n\s+already recorded\s+0\n/,
    );
    expect(first.stdout).toContain(
      'line 4: amount: 100 KRW is more than the 0 KRW still owed on the bill of 2025-06',
    );
    expect(await readFile(`${file}.rejects.csv`, 'utf8')).toContain('CARD-20250621-0001');
    expect(again.stdout).toMatch(/imported\s+0\n\s+rejected\s+1\n\s+already recorded\s+2\n/);
    expect((await billOf(ACCOUNT, '2025-06')).status).toBe('paid');
    await rm(work, { recursive: true, force: true });
  }, 120_000);
});

/** The accounts with an unpaid bill due on a date, over every shard. */
async function unpaidDueOn(dueDate: string): Promise<string[]> {
  const accounts: string[] = [];
  for (let shard = 0; shard < world.deps.config.subscriptions.fanOutShards; shard++) {
    let cursor: string | undefined;
    do {
      const page = await world.deps.payments.unpaidDue(dueDate, shard, { limit: 2, cursor });
      accounts.push(...page.items.map((b) => b.accountNumber));
      cursor = page.cursor;
    } while (cursor);
  }
  return accounts.sort();
}

describe('the overdue sweep', () => {
  // 00:30 on 10 December: the bills due on 9 December that nobody paid are overdue; a bill paid on time, and bills
  // due on other days, are not touched.
  it('marks only the unpaid bills due yesterday overdue, over every shard', async () => {
    const late = Array.from({ length: 7 }, (_, i) => `3000000${String(i).padStart(2, '0')}`);
    await world.deps.accounts.putMany(late.map((accountNumber) => anAccount({ accountNumber })));
    await world.deps.bills.putMany([
      ...late.map((accountNumber) => aBill({ accountNumber, period: '2026-11', dueDate: '2026-12-09' })),
      aBill({ accountNumber: ACCOUNT, period: '2026-12', dueDate: '2026-12-10' }),
      aBill({ accountNumber: NEIGHBOUR, period: '2026-10', dueDate: '2026-12-08' }),
    ]);
    await recordPayment(world.deps, giro());

    const started = await startOverdueSweep(world.deps, { today: '2026-12-10' });
    await sweep.idle();

    expect(started).toEqual({ dueDate: '2026-12-09', shards: 3 });
    for (const accountNumber of [...late, NEIGHBOUR])
      expect((await billOf(accountNumber, '2026-11')).status, accountNumber).toBe('overdue');
    expect((await billOf(ACCOUNT, '2026-11')).status).toBe('paid');
    expect((await billOf(ACCOUNT, '2026-12')).status).toBe('unpaid');
    expect((await billOf(NEIGHBOUR, '2026-10')).status).toBe('unpaid');
  });

  it('marks nothing twice when a page is delivered again', async () => {
    const pages = [0, 1, 2].map((shard) => ({ dueDate: '2026-12-09', shard }));
    const first = await Promise.all(pages.map((page) => markOverdue(world.deps, page)));
    const again = await Promise.all(pages.map((page) => markOverdue(world.deps, page)));

    expect(first.reduce((n, r) => n + r.marked, 0)).toBe(2);
    expect(again.reduce((n, r) => n + r.marked, 0)).toBe(0);
  });

  // The resident pays the rest three days late: the overdue bill becomes paid and leaves the index.
  it('leaves a bill paid after it became overdue paid', async () => {
    await startOverdueSweep(world.deps, { today: '2026-12-10' });
    await sweep.idle();
    world.clock.set(new Date('2026-12-12T05:00:00Z'));

    const outcome = await recordPayment(world.deps, giro({ paidAt: '2026-12-12T13:00:00+09:00' }));

    expect(outcome).toMatchObject({ ok: true, bill: { status: 'paid' } });
    expect((await billOf(ACCOUNT, '2026-11')).status).toBe('paid');
    expect(await unpaidDueOn('2026-12-09')).toEqual([NEIGHBOUR]);
  });
});

describe('POST /admin/payments', () => {
  const claims = (groups: string) => ({
    sub: 'clerk-1',
    token_use: 'access',
    'cognito:groups': groups,
  });
  /** The request as API Gateway passes it after its JWT authorizer checked a staff token with these groups. */
  const post = (body: unknown, headers: Record<string, string>, groups?: string) => {
    const event = httpEvent({ method: 'POST', path: '/admin/payments', body, headers });
    const withClaims =
      groups === undefined
        ? event
        : {
            ...event,
            requestContext: { ...event.requestContext, authorizer: { jwt: { claims: claims(groups) } } },
          };
    return runRoute(recordPaymentRoute, withClaims, async () => world.deps).then((r) => ({
      status: r.statusCode,
      json: JSON.parse(r.body ?? '{}') as Record<string, unknown>,
    }));
  };
  const { reference: _reference, ...body } = giro({ amount: 10_000 });

  it('records a clerk’s payment with the Idempotency-Key as its reference and answers the bill’s new state', async () => {
    const first = await post(body, { 'idempotency-key': 'COUNTER-77' }, '[staff]');
    const again = await post(body, { 'idempotency-key': 'COUNTER-77' }, '[staff]');

    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      result: 'recorded',
      reference: 'COUNTER-77',
      bill: { status: 'unpaid', amountDue: 24_600, amountPaid: 10_000, outstanding: 14_600 },
    });
    expect(again).toMatchObject({ status: 200, json: { result: 'duplicate' } });
  });

  it('without a staff token: 401, nothing written', async () => {
    const answer = await post(body, { 'idempotency-key': 'COUNTER-77' });

    expect(answer.status).toBe(401);
    expect((await billOf(ACCOUNT, '2026-11')).payments).toEqual([]);
  });

  it('from a clerk of another district: 403; from that district’s clerk: 201', async () => {
    const foreign = await post(body, { 'idempotency-key': 'COUNTER-78' }, '[staff district:11110]');
    const own = await post(body, { 'idempotency-key': 'COUNTER-78' }, '[staff district:11140]');

    expect(foreign).toMatchObject({ status: 403, json: { type: problemType('district-forbidden') } });
    expect(own.status).toBe(201);
  });

  it('answers problem+json for a missing key, a zero amount, an unknown bill, more than is owed, a reused key', async () => {
    await post(body, { 'idempotency-key': 'COUNTER-79' }, '[admin]');
    const answers = await Promise.all([
      post(body, {}, '[admin]'),
      post({ ...body, amount: 0 }, { 'idempotency-key': 'COUNTER-80' }, '[admin]'),
      post({ ...body, period: '2026-09' }, { 'idempotency-key': 'COUNTER-81' }, '[admin]'),
      post({ ...body, amount: 50_000 }, { 'idempotency-key': 'COUNTER-82' }, '[admin]'),
      post({ ...body, amount: 500 }, { 'idempotency-key': 'COUNTER-79' }, '[admin]'),
    ]);

    expect(answers.map((a) => [a.status, a.json.type])).toEqual([
      [400, problemType('validation-error')],
      [400, problemType('validation-error')],
      [422, problemType('unknown-bill')],
      [422, problemType('overpayment')],
      [409, problemType('reference-reused')],
    ]);
  });
});
