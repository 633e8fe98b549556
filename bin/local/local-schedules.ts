// The local runtime's schedules: the same schedule table as AWS, fired as the clock reaches them, by name, or on the
// way when the clock is moved forward; plus the /_local tools that list, fire and move.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OneOffFiring } from '#adapters/local/local-announcement-timer';
import type { Deps } from '#app/ports';
import type { UtilityConfig } from '#config/schema';
import { AppError, ConflictError, NotFoundError, ValidationError } from '#domain/errors';
import { cronExpression, firingsBetween, nextFiring } from '#domain/schedule';
import { problemResponse, STATUS_OF_KIND } from '#handlers/http/problem';
import { runSchedule, scheduleEvent } from '#handlers/schedule/schedule-handler';
import type { ScheduleEntry } from '#handlers/schedule/schedules';
import type { MovableClock } from './local-clock.ts';
import type { DeadLetter } from './local-queue.ts';

/** How far one move of the clock may go, so that a mistyped year cannot keep the runtime busy for hours. */
export const REPLAY_LIMITS = { maxFirings: 1000, maxYears: 2 } as const;

/** Deliveries of one firing before it is dead-lettered: Lambda's first try and its two retries of an async event. */
const ATTEMPTS = 3;

/** setTimeout's longest delay (about 24.8 days); a later firing is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ScheduleView {
  name: string;
  description: string;
  /** As EventBridge Scheduler is given it, e.g. cron(0 10 12 * ? *). */
  expression: string;
  timeZone: string;
  /** The next firing after the runtime's clock, in the utility's local time with its offset; null if none. */
  nextFiring: string | null;
}

export interface FiringReport {
  schedule: string;
  /** When the firing was due, local time with offset: what the handler was given. */
  scheduledAt: string;
  status: 'ran' | 'failed';
  attempts: number;
  /** What the schedule answered (a run id), when it ran. */
  result?: unknown;
  /** Why it failed, when it did: it is then in GET /_local/dlq. */
  error?: string;
}

export interface LocalSchedulesOptions {
  entries: readonly ScheduleEntry[];
  config: UtilityConfig;
  clock: MovableClock;
  getDeps: () => Promise<Deps>;
  /**
   * Resolves once the work a firing queued is done. A replay waits for it before it moves the clock on, so that
   * what a firing started happens at its own time, not at the end of the replay.
   */
  settled: () => Promise<void>;
  print?: (line: string) => void;
  /** Fire schedules when the running clock reaches them, as AWS does. @default true */
  realTime?: boolean;
  /** One-time firings (announcements at their send time), fired in order with the table's schedules. */
  oneOffs?: { dueBetween(after: Date, until: Date): OneOffFiring[] };
}

/** A firing due: a schedule of the table, or a one-time one. */
type Due = { at: Date } & ({ entry: ScheduleEntry } | { oneOff: OneOffFiring });

export class LocalSchedules {
  /** Firings that failed every attempt (GET /_local/dlq lists them with the queues' dead letters). */
  readonly deadLetters: DeadLetter[] = [];
  private readonly entries: readonly ScheduleEntry[];
  private readonly print: (line: string) => void;
  /** Every firing up to this instant has been fired (or was before the runtime started). */
  private checkedUpTo: Date;
  /** One thing at a time: a clock move, a firing by name, or the timer's catch-up. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: LocalSchedulesOptions) {
    const names = new Set<string>();
    for (const entry of options.entries) {
      if (names.has(entry.name)) throw new Error(`Schedule ${entry.name} is in the table twice`);
      names.add(entry.name);
      // A mistake in an entry's fields shows at start, not at its first firing.
      cronExpression(entry.cron(options.config));
    }
    this.entries = options.entries;
    this.print = options.print ?? (() => {});
    this.checkedUpTo = options.clock.now();
    if (options.realTime ?? true) this.arm();
  }

  private get timeZone(): string {
    return this.options.config.timeZone;
  }

  private local(instant: Date): string {
    return DateTime.fromJSDate(instant, { zone: this.timeZone }).toISO({ suppressMilliseconds: true }) ?? '';
  }

  list(): ScheduleView[] {
    const now = this.options.clock.now();
    // One-time schedules still to fire (announcements at a set time), as `aws scheduler list-schedules` shows them.
    const oneOffs = (this.options.oneOffs?.dueBetween(now, new Date(8.64e15)) ?? []).map((oneOff) => ({
      name: oneOff.name,
      description: 'One-time: sends an announcement at its time',
      expression: `at(${this.local(oneOff.at).slice(0, 19)})`,
      timeZone: this.timeZone,
      nextFiring: this.local(oneOff.at),
    }));
    return [...this.tableViews(now), ...oneOffs];
  }

  private tableViews(now: Date): ScheduleView[] {
    return this.entries.map((entry) => {
      const fields = entry.cron(this.options.config);
      const next = nextFiring(fields, this.timeZone, now);
      return {
        name: entry.name,
        description: entry.description,
        expression: cronExpression(fields),
        timeZone: this.timeZone,
        nextFiring: next ? this.local(next) : null,
      };
    });
  }

  /** The runtime's clock, in the utility's local time with its offset. */
  now(): string {
    return this.local(this.options.clock.now());
  }

  /** Fires one schedule now (scheduledAt = the clock's now), as `aws scheduler` or the console would by hand. */
  runNow(name: string): Promise<FiringReport> {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) {
      return Promise.reject(
        new NotFoundError(
          'schedule-not-found',
          `There is no schedule "${name}"; the schedules are: ${this.entries.map((e) => e.name).join(', ')}.`,
        ),
      );
    }
    // EventBridge Scheduler's scheduled times are whole seconds; so is a firing by hand.
    return this.serial(() =>
      this.fire(entry, new Date(Math.floor(this.options.clock.now().getTime() / 1000) * 1000)),
    );
  }

  /**
   * Moves the clock forward to `to`, firing on the way every schedule that falls due, in order of firing time, with
   * the clock at each firing's time while it runs; then leaves the clock at `to`.
   */
  moveClock(to: Date): Promise<{ now: string; firings: FiringReport[] }> {
    return this.serial(async () => {
      const { clock } = this.options;
      const now = clock.now();
      if (to.getTime() < now.getTime()) {
        throw new ConflictError(
          'clock-backward',
          `The clock only moves forward: it is ${this.local(now)}, and ${this.local(to)} is before that.`,
        );
      }
      const furthest = DateTime.fromJSDate(now, { zone: this.timeZone }).plus({
        years: REPLAY_LIMITS.maxYears,
      });
      if (to.getTime() > furthest.toMillis()) {
        throw new AppError(
          'unprocessable',
          'replay-too-long',
          `The clock moves at most ${REPLAY_LIMITS.maxYears} years at a time (to ${this.local(furthest.toJSDate())}); move it in steps.`,
        );
      }
      const due = this.dueBetween(this.checkedUpTo, to, REPLAY_LIMITS.maxFirings + 1);
      if (due.length > REPLAY_LIMITS.maxFirings) {
        throw new AppError(
          'unprocessable',
          'replay-too-long',
          `Moving the clock to ${this.local(to)} would fire more than ${REPLAY_LIMITS.maxFirings} schedules; move it in steps.`,
        );
      }
      const firings: FiringReport[] = [];
      for (const firing of due) {
        // The clock may already be past a firing that real time reached while nothing was looking: never back.
        if (firing.at.getTime() > clock.now().getTime()) clock.moveTo(firing.at);
        firings.push(await this.fireDue(firing));
        this.checkedUpTo = firing.at;
      }
      if (to.getTime() > clock.now().getTime()) clock.moveTo(to);
      this.checkedUpTo = to;
      return { now: this.local(clock.now()), firings };
    });
  }

  /** Wakes the real-time timer for a firing set since it was armed (a new one-time schedule). */
  rearm(): void {
    void this.serial(async () => {});
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Every schedule's firings in (after, until], oldest first; two at the same instant in table order. Catching up
   * (a clock move, the timer's catch-up), a `replayLatestOnly` schedule counts its last firing in the span only.
   */
  private dueBetween(after: Date, until: Date, limit: number, catchingUp = true): Due[] {
    const oneOffs = (this.options.oneOffs?.dueBetween(after, until) ?? []).map((oneOff) => ({
      oneOff,
      at: oneOff.at,
      order: this.entries.length,
    }));
    return [
      ...this.entries.flatMap((entry, order) =>
        (entry.replayLatestOnly && catchingUp
          ? this.latestFiring(entry, after, until)
          : firingsBetween(entry.cron(this.options.config), this.timeZone, after, until, limit)
        ).map((at) => ({ entry, at, order })),
      ),
      ...oneOffs,
    ]
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order)
      .slice(0, limit);
  }

  /** The last firing of `entry` in (after, until], looked for in a day, then a month, then the whole span. */
  private latestFiring(entry: ScheduleEntry, after: Date, until: Date): Date[] {
    const fields = entry.cron(this.options.config);
    for (const days of [1, 31, Number.POSITIVE_INFINITY]) {
      const from = new Date(Math.max(after.getTime(), until.getTime() - days * 86_400_000));
      const last = firingsBetween(fields, this.timeZone, from, until, Number.MAX_SAFE_INTEGER).at(-1);
      if (last) return [last];
      if (from.getTime() === after.getTime()) return [];
    }
    return [];
  }

  private fireDue(due: Due): Promise<FiringReport> {
    return 'entry' in due ? this.fire(due.entry, due.at) : this.fireOneOff(due.oneOff);
  }

  /** A one-time schedule puts its message on its target queue (a delivery to SQS, which retries on its own). */
  private async fireOneOff(oneOff: OneOffFiring): Promise<FiringReport> {
    const base = { schedule: oneOff.name, scheduledAt: this.local(oneOff.at) };
    const result = await oneOff.fire();
    await this.options.settled();
    this.print(`[schedule] ${oneOff.name} fired for ${base.scheduledAt}: ${JSON.stringify(result)}`);
    return { ...base, status: 'ran', attempts: 1, result };
  }

  /** Runs one firing through the same wrapper as Lambda, retried as Lambda retries an async event, then dead-lettered. */
  private async fire(entry: ScheduleEntry, scheduledAt: Date): Promise<FiringReport> {
    const event = scheduleEvent(entry.name, scheduledAt);
    const base = { schedule: entry.name, scheduledAt: this.local(scheduledAt) };
    let failure: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const result = await runSchedule(entry.name, entry.run, event, this.options.getDeps);
        await this.options.settled();
        this.print(`[schedule] ${entry.name} fired for ${base.scheduledAt}: ${JSON.stringify(result)}`);
        return { ...base, status: 'ran', attempts: attempt, result };
      } catch (error) {
        failure = error;
      }
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    this.deadLetters.push({
      messageId: randomUUID(),
      body: JSON.stringify(event),
      receiveCount: ATTEMPTS,
      deadLetteredAt: this.options.clock.now().toISOString(),
    });
    this.print(`[schedule] ${entry.name} for ${base.scheduledAt} failed ${ATTEMPTS} times: ${message}`);
    return { ...base, status: 'failed', attempts: ATTEMPTS, error: message };
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const done = this.chain.then(task);
    this.chain = done.catch(() => {}).finally(() => this.arm());
    return done;
  }

  /** Waits for the next firing in real time (the clock runs on), then fires whatever is due by then. */
  private arm(): void {
    if (this.stopped || !(this.options.realTime ?? true)) return;
    clearTimeout(this.timer);
    const next = this.dueBetween(this.checkedUpTo, new Date(8.64e15), 1, false)[0];
    if (!next) return;
    const delay = Math.min(Math.max(next.at.getTime() - this.options.clock.now().getTime(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      void this.serial(async () => {
        const now = this.options.clock.now();
        for (const firing of this.dueBetween(this.checkedUpTo, now, REPLAY_LIMITS.maxFirings)) {
          await this.fireDue(firing);
          this.checkedUpTo = firing.at;
        }
        if (now.getTime() > this.checkedUpTo.getTime()) this.checkedUpTo = now;
      });
    }, delay);
    // The HTTP server keeps the process alive; a pending firing alone should not.
    this.timer.unref();
  }
}

const clockBody = z.strictObject({
  now: z.iso.datetime({ offset: true }),
});

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function readClockBody(body: Buffer): Date {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || 'null');
  } catch (error) {
    throw new ValidationError(
      `The body is not valid JSON: ${(error as Error).message}`,
      [],
      'malformed-json',
    );
  }
  const parsed = clockBody.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      'Move the clock with {"now": "<ISO 8601 date-time with its offset>"}, e.g. {"now": "2026-12-12T10:00:00+09:00"}.',
      parsed.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), message: i.message })),
    );
  }
  return new Date(parsed.data.now);
}

const RUN_PATH = /^\/_local\/schedules\/([^/]+)\/run$/;

/**
 * GET /_local/schedules, POST /_local/schedules/{name}/run and POST /_local/clock; undefined for any other path.
 * Every refusal is problem+json.
 */
export async function localScheduleTool(
  schedules: LocalSchedules,
  method: string,
  path: string,
  body: Buffer,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const run = RUN_PATH.exec(path);
  const known = path === '/_local/schedules' || path === '/_local/clock' || run !== null;
  if (!known) return undefined;
  try {
    if (method === 'GET' && path === '/_local/schedules') {
      return json(200, { now: schedules.now(), items: schedules.list() });
    }
    if (method === 'POST' && run) {
      let name: string;
      try {
        name = decodeURIComponent(run[1] ?? '');
      } catch {
        throw new ValidationError(
          'The schedule name in the path is not valid percent-encoding.',
          [],
          'malformed-path',
        );
      }
      return json(200, await schedules.runNow(name));
    }
    if (method === 'POST' && path === '/_local/clock') {
      return json(200, await schedules.moveClock(readClockBody(body)));
    }
    return problemResponse(405, 'method-not-allowed', `${method} is not allowed on ${path}.`, {
      headers: { allow: path === '/_local/schedules' ? 'GET' : 'POST' },
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return problemResponse(STATUS_OF_KIND[error.kind], error.type, error.message, {
      instance: path,
      extensions: error.extensions,
    });
  }
}
