// npm start's schedules over HTTP on 127.0.0.1: list them, fire one by name, and replay a stretch of calendar by
// moving the clock forward. The clock only moves forward, so the steps run in order on one runtime.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

interface Firing {
  schedule: string;
  scheduledAt: string;
  status: string;
  result?: { runId: string };
}
interface Problem {
  type: string;
  status: number;
  detail: string;
}

let runtime: Runtime;
const api = (path: string, init?: RequestInit) => fetch(`${runtime.url}${path}`, init);
const post = (path: string, body?: unknown) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const moveClock = (now: string) => post('/_local/clock', { now });
const read = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    // 2026-12-11 09:00 in Seoul: the notice day is tomorrow.
    clock: startingClock(new Date('2026-12-11T00:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-schedules-${Date.now()}` },
    demoAccounts: 20,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('npm start: schedules and the clock', () => {
  it('lists the schedule table with expression, time zone and next firing by the runtime clock', async () => {
    const listed = await read<{ now: string; items: unknown[] }>(api('/_local/schedules'));
    expect(listed.now).toMatch(/^2026-12-11T09:00:\d{2}(\.\d+)?\+09:00$/);
    expect(listed.items).toEqual([
      {
        name: 'bill-notices',
        description: expect.any(String),
        expression: 'cron(0 10 12 * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-12T10:00:00+09:00',
      },
      {
        name: 'quiet-hours-end',
        description: expect.any(String),
        expression: 'cron(0 8 * * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-12T08:00:00+09:00',
      },
      {
        name: 'billing-run',
        description: expect.any(String),
        expression: 'cron(0 1 26 * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-26T01:00:00+09:00',
      },
      {
        name: 'overdue-bills',
        description: expect.any(String),
        expression: 'cron(30 0 * * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-12T00:30:00+09:00',
      },
      {
        name: 'reading-window-opens',
        description: expect.any(String),
        expression: 'cron(0 10 15 * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-15T10:00:00+09:00',
      },
      {
        name: 'due-reminders',
        description: expect.any(String),
        expression: 'cron(0 10 * * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-11T10:00:00+09:00',
      },
      {
        name: 'complaints-sla',
        description: expect.any(String),
        expression: 'cron(0 * * * ? *)',
        timeZone: 'Asia/Seoul',
        nextFiring: '2026-12-11T10:00:00+09:00',
      },
    ]);
  });

  it('fires bill-notices once when the clock passes the 12th 10:00, with scheduledAt 10:00 local', async () => {
    const response = await moveClock('2026-12-12T10:05:00+09:00');
    expect(response.status).toBe(200);
    const moved = await read<{ now: string; firings: Firing[] }>(response);
    expect(moved.now).toMatch(/^2026-12-12T10:05:00(\.\d+)?\+09:00$/);
    // The end of the quiet hours (08:00) fires on the way, with no run held.
    expect(moved.firings.filter((f) => f.schedule === 'quiet-hours-end')).toHaveLength(1);
    expect(moved.firings.filter((f) => f.schedule === 'bill-notices')).toEqual([
      expect.objectContaining({
        schedule: 'bill-notices',
        scheduledAt: '2026-12-12T10:00:00+09:00',
        status: 'ran',
        result: expect.objectContaining({ runId: 'bill/2026-12' }),
      }),
    ]);
    // Every local tool reads the same clock.
    const demo = await read<{ now: string }>(api('/_local/demo'));
    expect(demo.now).toMatch(/^2026-12-12T10:05:/);
  });

  it('fires twice, in order, when the clock moves over two more months; an offset other than Seoul is fine', async () => {
    const moved = await read<{ firings: Firing[] }>(moveClock('2027-02-12T03:00:00Z'));
    const billFirings = moved.firings.filter((f) => f.schedule === 'bill-notices');
    expect(billFirings.map((f) => [f.scheduledAt, f.result?.runId])).toEqual([
      ['2027-01-12T10:00:00+09:00', 'bill/2027-01'],
      ['2027-02-12T10:00:00+09:00', 'bill/2027-02'],
    ]);
    const listed = await read<{ items: Array<{ name: string; nextFiring: string }> }>(
      api('/_local/schedules'),
    );
    expect(listed.items.find((i) => i.name === 'bill-notices')?.nextFiring).toBe('2027-03-12T10:00:00+09:00');
  });

  it('refuses to move the clock back (409), too far (422) or without an offset (400), as problem+json', async () => {
    const back = await moveClock('2027-01-01T00:00:00+09:00');
    expect(back.status).toBe(409);
    expect(back.headers.get('content-type')).toBe('application/problem+json');
    expect(await read<Problem>(back)).toMatchObject({
      type: 'urn:utilitydesk:problem:clock-backward',
      status: 409,
    });

    const far = await moveClock('2031-01-01T00:00:00+09:00');
    expect(far.status).toBe(422);
    expect((await read<Problem>(far)).type).toBe('urn:utilitydesk:problem:replay-too-long');

    const local = await moveClock('2027-03-01T10:00');
    expect(local.status).toBe(400);
    expect((await read<Problem>(local)).detail).toContain('with its offset');

    const garbage = await api('/_local/clock', { method: 'POST', body: '{"now":' });
    expect(garbage.status).toBe(400);
    expect((await read<Problem>(garbage)).type).toBe('urn:utilitydesk:problem:malformed-json');

    const listed = await read<{ now: string }>(api('/_local/schedules'));
    expect(listed.now).toMatch(/^2027-02-12T12:00:/);
  });

  it('fires a schedule by name now, and answers 404 problem+json for an unknown one', async () => {
    const run = await post('/_local/schedules/bill-notices/run');
    expect(run.status).toBe(200);
    expect(await read<Firing>(run)).toMatchObject({
      schedule: 'bill-notices',
      scheduledAt: expect.stringMatching(/^2027-02-12T12:00:\d{2}\+09:00$/),
      status: 'ran',
      result: { runId: 'bill/2027-02' },
    });

    const unknown = await post('/_local/schedules/bill-notice/run');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await read<Problem>(unknown)).toMatchObject({
      type: 'urn:utilitydesk:problem:schedule-not-found',
      status: 404,
    });

    const wrongMethod = await api('/_local/schedules/bill-notices/run');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
