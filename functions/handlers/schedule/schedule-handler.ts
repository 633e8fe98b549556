// The schedule wrapper every scheduled function uses: reads EventBridge Scheduler's payload and runs the entry once.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '#app/ports';
import { businessMetrics, logger, tracing } from '../observability.ts';

/** One firing of a schedule: its name and the time it was due (not the time it ran). */
export interface Firing {
  name: string;
  scheduledAt: Date;
}

/** What a schedule does when it fires; it answers something worth logging (a run id, counts). */
export type ScheduleRun = (deps: Deps, firing: Firing) => Promise<unknown>;

/**
 * The payload each schedule's target is given: its name, and `<aws.scheduler.scheduled-time>`, which EventBridge
 * Scheduler fills with the time the firing was due (ISO 8601 in UTC, e.g. 2026-12-12T01:00:00Z), the same on a
 * retry. The local runtime sends the same shape.
 */
export const scheduleEventSchema = z.strictObject({
  schedule: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/),
  scheduledAt: z.iso.datetime({ offset: true }),
});

export type ScheduleEvent = z.infer<typeof scheduleEventSchema>;

/** The payload of a firing, as the local runtime and the ops CLI build it. */
export function scheduleEvent(name: string, scheduledAt: Date): ScheduleEvent {
  return { schedule: name, scheduledAt: scheduledAt.toISOString() };
}

/** Thrown for a payload that is not a firing of this schedule: a misconfigured target, retried then dead-lettered. */
export class ScheduleEventError extends Error {
  override name = 'ScheduleEventError';
}

export function readScheduleEvent(event: unknown, expected: string): Firing {
  const parsed = scheduleEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ScheduleEventError(
      `Not a schedule payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  if (parsed.data.schedule !== expected) {
    throw new ScheduleEventError(
      `This function runs the schedule "${expected}", not "${parsed.data.schedule}"`,
    );
  }
  return { name: expected, scheduledAt: new Date(parsed.data.scheduledAt) };
}

/** Runs one firing; a throw fails the invocation, so AWS retries it and then dead-letters it. */
export async function runSchedule(
  name: string,
  run: ScheduleRun,
  event: unknown,
  getDeps: () => Promise<Deps>,
): Promise<unknown> {
  const firing = readScheduleEvent(event, name);
  const deps = await getDeps();
  const scheduledAt = firing.scheduledAt.toISOString();
  try {
    const result = await run(deps, firing);
    logger.info('Schedule ran', { schedule: name, scheduledAt, result });
    return result;
  } catch (error) {
    logger.error('Schedule failed; it will be retried, then dead-lettered', {
      schedule: name,
      scheduledAt,
      error: error as Error,
    });
    throw error;
  }
}

/** The Lambda entrypoint of a schedule: middy with the tracer, the metrics and the logger, then runSchedule. */
export function lambdaScheduleHandler(name: string, run: ScheduleRun, getDeps: () => Promise<Deps>) {
  return middy<unknown, unknown, Error, Context>()
    .use(tracing())
    .use(businessMetrics())
    .use(injectLambdaContext(logger))
    .handler((event) => runSchedule(name, run, event, getDeps));
}
