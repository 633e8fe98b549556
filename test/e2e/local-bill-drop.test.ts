// npm start's bill drop over HTTP on 127.0.0.1: the README's file dropped twice, imported once, rejects answered.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

const CSV = readFileSync(new URL('../fixtures/drop/seoul-2026-12.csv', import.meta.url));

let runtime: Runtime;
const drop = (query: string, body: Uint8Array | string = CSV, method = 'POST') =>
  fetch(`${runtime.url}/_local/billing/drop${query}`, {
    method,
    headers: { 'content-type': 'text/csv' },
    ...(method === 'POST' ? { body } : {}),
  });

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    // 2026-12-10 09:00 in Seoul: the utility's system drops December's bills before the notice day.
    clock: startingClock(new Date('2026-12-10T00:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-drop-${Date.now()}` },
    demoAccounts: 20,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('POST /_local/billing/drop', () => {
  it('imports the README file once, answering the summary and the rejected rows, and keeps the file in processed/', async () => {
    // The README's two rows: a bill for demo account 120100000, and one for an account that does not exist.
    const first = await drop('?name=2026-12.csv');
    const again = await drop('?name=2026-12.csv');

    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      outcome: 'imported',
      key: 'bills/incoming/2026-12.csv',
      read: 2,
      imported: 1,
      rejected: 1,
      rejects: [{ line: 3, reason: 'account_number: account 999999999 does not exist' }],
    });
    expect(await again.json()).toMatchObject({ outcome: 'already-imported', imported: 1, rejected: 1 });
    expect(await runtime.deps.bills.get('120100000', '2026-12')).toMatchObject({
      amountDue: 24600,
      source: 'import',
    });
    expect(existsSync(join(runtime.billingExchange.dir, 'bills', 'processed', '2026-12.csv'))).toBe(true);
    expect(existsSync(join(runtime.billingExchange.dir, 'bills', 'rejects', '2026-12.csv'))).toBe(true);
  });

  it('answers 400 for a name with folders or without .csv, or an empty body, and 405 for GET', async () => {
    // Mistyped commands.
    expect((await drop('?name=../../etc/passwd')).status).toBe(400);
    expect((await drop('?name=bills.txt')).status).toBe(400);
    expect((await drop('?name=empty.csv', '')).status).toBe(400);
    expect((await drop('', undefined, 'GET')).status).toBe(405);
  });
});
