// The local runtime's schedules over the real use cases and DynamoDB Local: firing by name, on the way when the
// clock moves forward, in order, each at its own time, retried then dead-lettered, and bounded.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '#adapters/clock';
import { AppError } from '#domain/errors';
import type { ScheduleEntry } from '#handlers/schedule/schedules';
import { billNoticesSchedule } from '#handlers/schedule/schedules';
import { type TestWorld, testWorld } from '#test/support/deps';
import { MovableClock } from '../../bin/local/local-clock.ts';
import { type FiringReport, LocalSchedules } from '../../bin/local/local-schedules.ts';

/** What a test-only schedule saw when it ran: its firing, and the runtime's clock at that moment. */
interface Seen {
  name: string;
  scheduledAt: string;
  clockAt: string;
}

let world: TestWorld;
let base: ManualClock;
let clock: MovableClock;
let seen: Seen[];
let settledAt: string[];
let local: LocalSchedules | undefined;

/** A schedule defined here only: it records what it saw, and can be told to fail. */
function recording(name: string, cron: ScheduleEntry['cron'], fail?: () => boolean): ScheduleEntry {
  return {
    name,
    id: name,
    entry: `test/${name}.ts`,
    description: `test schedule ${name}`,
    table: 'none',
    cron,
    run: async (deps, firing) => {
      if (fail?.()) throw new Error(`${name} broke`);
      seen.push({
        name: firing.name,
        scheduledAt: firing.scheduledAt.toISOString(),
        clockAt: deps.clock.now().toISOString(),
      });
      return { ok: firing.name };
    },
  };
}

function schedulesOf(entries: ScheduleEntry[], realTime = false): LocalSchedules {
  local = new LocalSchedules({
    entries,
    config: world.deps.config,
    clock,
    // The world's use cases read the movable clock, as every local handler does in the runtime.
    getDeps: async () => ({ ...world.deps, clock }),
    settled: async () => {
      settledAt.push(clock.now().toISOString());
    },
    realTime,
  });
  return local;
}

const at = (iso: string) => new Date(iso);
const summary = (firings: FiringReport[]) => firings.map((f) => `${f.schedule} ${f.scheduledAt} ${f.status}`);

beforeEach(async () => {
  // 2026-12-11 09:00 in Seoul.
  world = await testWorld('seoul-water', at('2026-12-11T00:00:00Z'));
  base = new ManualClock(at('2026-12-11T00:00:00Z'));
  clock = new MovableClock(base);
  seen = [];
  settledAt = [];
});

afterEach(() => {
  local?.stop();
  local = undefined;
  vi.useRealTimers();
});

describe('moving the local clock forward', () => {
  it('fires bill-notices once over the 12th 10:00 Seoul time, for that month, and leaves the clock where asked', async () => {
    const schedules = schedulesOf([billNoticesSchedule]);

    const moved = await schedules.moveClock(at('2026-12-12T10:30:00+09:00'));

    expect(moved.now).toBe('2026-12-12T10:30:00+09:00');
    expect(moved.firings).toEqual([
      {
        schedule: 'bill-notices',
        scheduledAt: '2026-12-12T10:00:00+09:00',
        status: 'ran',
        attempts: 1,
        result: { runId: 'bill/2026-12', started: true },
      },
    ]);
    expect(clock.now().toISOString()).toBe('2026-12-12T01:30:00.000Z');
    // Moving on within the day fires nothing more.
    expect((await schedules.moveClock(at('2026-12-12T23:00:00+09:00'))).firings).toEqual([]);
  });

  it('fires twice over two months, in order, each with its own month', async () => {
    const schedules = schedulesOf([billNoticesSchedule]);
    await schedules.moveClock(at('2026-12-12T11:00:00+09:00'));

    const { firings } = await schedules.moveClock(at('2027-02-12T11:00:00+09:00'));

    expect(firings.map((f) => [f.scheduledAt, f.result])).toEqual([
      ['2027-01-12T10:00:00+09:00', { runId: 'bill/2027-01', started: true }],
      ['2027-02-12T10:00:00+09:00', { runId: 'bill/2027-02', started: true }],
    ]);
  });

  it('interleaves the schedules by firing time, sets the clock to each firing while it runs, and waits for its work', async () => {
    // A schedule of the test only: 09:00 on the 12th and on the 15th; bill-notices is 10:00 on the 12th.
    const reminder = recording('reading-reminder', () => ({ minute: '0', hour: '9', day: '12,15' }));
    const schedules = schedulesOf([billNoticesSchedule, reminder]);

    const { firings } = await schedules.moveClock(at('2026-12-16T00:00:00+09:00'));

    expect(summary(firings)).toEqual([
      'reading-reminder 2026-12-12T09:00:00+09:00 ran',
      'bill-notices 2026-12-12T10:00:00+09:00 ran',
      'reading-reminder 2026-12-15T09:00:00+09:00 ran',
    ]);
    expect(seen).toEqual([
      {
        name: 'reading-reminder',
        scheduledAt: '2026-12-12T00:00:00.000Z',
        clockAt: '2026-12-12T00:00:00.000Z',
      },
      {
        name: 'reading-reminder',
        scheduledAt: '2026-12-15T00:00:00.000Z',
        clockAt: '2026-12-15T00:00:00.000Z',
      },
    ]);
    // What each firing queued was done before the clock moved on.
    expect(settledAt).toEqual([
      '2026-12-12T00:00:00.000Z',
      '2026-12-12T01:00:00.000Z',
      '2026-12-15T00:00:00.000Z',
    ]);
  });

  it('fires two schedules due at the same minute in the order of the table', async () => {
    const first = recording('first', () => ({ minute: '0', hour: '10', day: '12' }));
    const schedules = schedulesOf([first, billNoticesSchedule]);

    const { firings } = await schedules.moveClock(at('2026-12-12T10:00:00+09:00'));

    expect(firings.map((f) => f.schedule)).toEqual(['first', 'bill-notices']);
  });

  // In AWS a failing function is retried and then dead-lettered; the firings after it still happen.
  it('retries a failing firing, dead-letters it, and goes on with the later ones', async () => {
    const broken = recording(
      'broken',
      () => ({ minute: '0', hour: '8', day: '12' }),
      () => true,
    );
    const schedules = schedulesOf([broken, billNoticesSchedule]);

    const { firings } = await schedules.moveClock(at('2026-12-13T00:00:00+09:00'));

    expect(firings).toEqual([
      {
        schedule: 'broken',
        scheduledAt: '2026-12-12T08:00:00+09:00',
        status: 'failed',
        attempts: 3,
        error: 'broken broke',
      },
      expect.objectContaining({ schedule: 'bill-notices', status: 'ran' }),
    ]);
    expect(schedules.deadLetters).toEqual([
      expect.objectContaining({
        body: JSON.stringify({ schedule: 'broken', scheduledAt: '2026-12-11T23:00:00.000Z' }),
        receiveCount: 3,
      }),
    ]);
  });

  it('refuses to go back, and fires nothing', async () => {
    const schedules = schedulesOf([billNoticesSchedule]);
    await schedules.moveClock(at('2026-12-12T11:00:00+09:00'));

    const refused = await schedules
      .moveClock(at('2026-12-12T09:00:00+09:00'))
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ kind: 'conflict', type: 'clock-backward' });
    expect(clock.now().toISOString()).toBe('2026-12-12T02:00:00.000Z');
  });

  // A mistyped year or a schedule that fires every minute must not keep the runtime busy for hours.
  it('refuses a move that would fire more than 1,000 times, or that spans more than two years, before firing', async () => {
    const everyMinute = recording('every-minute', () => ({ minute: '*', hour: '*' }));
    const schedules = schedulesOf([everyMinute]);

    const tooMany = await schedules
      .moveClock(at('2026-12-12T09:00:00+09:00'))
      .catch((error: unknown) => error);
    expect(tooMany).toMatchObject({ kind: 'unprocessable', type: 'replay-too-long' });
    expect((tooMany as Error).message).toMatch(/more than 1000 schedules/);
    expect(seen).toEqual([]);

    const tooFar = await schedulesOf([billNoticesSchedule])
      .moveClock(at('2028-12-11T09:01:00+09:00'))
      .catch((error: unknown) => error);
    expect(tooFar).toMatchObject({ kind: 'unprocessable', type: 'replay-too-long' });
    expect(clock.now().toISOString()).toBe('2026-12-11T00:00:00.000Z');

    // 1,000 firings exactly is allowed: 16 h 40 min of an every-minute schedule.
    const { firings } = await schedules.moveClock(at('2026-12-12T01:40:00+09:00'));
    expect(firings).toHaveLength(1000);
  });
});

describe('an hourly check in a replay', () => {
  // The complaints' SLA check does all that is due at each firing: a replay of two months is one check, not 1,488.
  it('fires once, at its last firing, however many hours the clock moves over', async () => {
    const hourly = {
      ...recording('hourly-check', () => ({ minute: '0', hour: '*' })),
      replayLatestOnly: true as const,
    };
    const schedules = schedulesOf([hourly, billNoticesSchedule]);

    const { firings } = await schedules.moveClock(at('2027-02-11T09:30:00+09:00'));

    expect(summary(firings)).toEqual([
      'bill-notices 2026-12-12T10:00:00+09:00 ran',
      'bill-notices 2027-01-12T10:00:00+09:00 ran',
      'hourly-check 2027-02-11T09:00:00+09:00 ran',
    ]);
    expect((await schedules.moveClock(at('2027-02-11T09:59:00+09:00'))).firings).toEqual([]);
  });
});

describe('firing a schedule by name', () => {
  it('runs it now, with the clock as its scheduled time, whatever the calendar says', async () => {
    const schedules = schedulesOf([billNoticesSchedule]);

    const firing = await schedules.runNow('bill-notices');

    expect(firing).toEqual({
      schedule: 'bill-notices',
      scheduledAt: '2026-12-11T09:00:00+09:00',
      status: 'ran',
      attempts: 1,
      result: { runId: 'bill/2026-12', started: true },
    });
  });

  it('refuses an unknown name, naming the schedules there are', async () => {
    const refused = await schedulesOf([billNoticesSchedule])
      .runNow('bill-notice')
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'not-found', type: 'schedule-not-found' });
    expect((refused as Error).message).toContain('the schedules are: bill-notices');
  });
});

describe('the running clock', () => {
  it('fires a schedule when real time reaches it, as EventBridge Scheduler would', async () => {
    vi.useFakeTimers();
    base.set(at('2026-12-12T00:59:00Z'));
    const schedules = schedulesOf(
      [recording('at-ten', () => ({ minute: '0', hour: '10', day: '12' }))],
      true,
    );

    base.advance(59_000);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(seen).toEqual([]);
    base.advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);

    expect(seen).toEqual([
      { name: 'at-ten', scheduledAt: '2026-12-12T01:00:00.000Z', clockAt: '2026-12-12T01:00:00.000Z' },
    ]);
    // Moving the clock over a firing that already happened does not repeat it.
    expect((await schedules.moveClock(at('2026-12-12T12:00:00+09:00'))).firings).toEqual([]);
  });
});
