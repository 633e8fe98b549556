// `ops notices run`: staff start (or resume) a notice run by hand, through the same use case as the schedule.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestWorld, testWorld } from '#test/support/deps';

let world: TestWorld;

const ops = (...args: string[]) =>
  spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'bin/ops.ts', 'notices', 'run', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
const onLocalTable = (...args: string[]) =>
  ops(...args, '--endpoint', world.table.endpoint, '--table', world.table.tableName);

beforeAll(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-12T01:00:00Z'));
});

describe('ops notices run', () => {
  // Starting a run queues its shards: without the local runtime's queues or the deployment's planner queue it would
  // write a run nothing plans. test/e2e/notice-day.test.ts runs it through the local runtime.
  it('refuses to start a run with a table alone, naming the two ways to give it its queue', () => {
    const run = onLocalTable('--kind', 'bill', '--period', '2026-12');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--plan-queue-url');
    expect(run.stderr).toContain('--runtime');
  }, 60_000);

  it('refuses a period that is not a month, in one line, with exit code 1', () => {
    const run = onLocalTable('--period', '2026-13');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: --period "2026-13" is not a month as YYYY-MM (e.g. 2026-12).\n');
  }, 60_000);

  it('knows only the kinds of notice there are', () => {
    const run = onLocalTable('--kind', 'outage', '--period', '2026-12');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "error: option '--kind <kind>' argument 'outage' is invalid. Allowed choices are bill, reading-window, due-reminder, leak-check, auto-pay-result.",
    );
  }, 60_000);

  it('explains itself with --help', () => {
    const help = ops('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--period <YYYY-MM>');
    expect(help.stdout).toContain('plans the same run again');
    expect(help.stdout).toContain(
      'npm run ops -- notices run --kind bill --period 2026-12 --runtime http://127.0.0.1:3000',
    );
  }, 60_000);
});
