// GET /_local/queues and POST /_local/queues/{name}/redrive: the local queues' depth and dead letters, and their redrive.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { problemResponse } from '#handlers/http/problem';
import { deadLetterSources } from '#handlers/sqs/queue-names';
import type { DeadLetter, LocalQueue } from './local-queue.ts';

/** One queue as GET /_local/queues lists it; a schedule has no queue of its own, so no depth. */
export interface LocalQueueView {
  name: string;
  kind: 'consumer' | 'schedule';
  depth: number | null;
  deadLetters: DeadLetter[];
}

export interface LocalQueuesOptions {
  /** The runtime's in-process queues, by consumer id. */
  consumers: ReadonlyMap<string, LocalQueue>;
  /** The firings every schedule gave up on (their body is the firing's payload, which names the schedule). */
  scheduleDeadLetters: () => readonly DeadLetter[];
}

const firingSchema = z.object({ schedule: z.string() });

function scheduleOf(letter: DeadLetter): string | undefined {
  try {
    return firingSchema.safeParse(JSON.parse(letter.body)).data?.schedule;
  } catch {
    return undefined;
  }
}

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

/** The queues the runtime has, under the names `ops redrive` takes. */
type Source = { name: string; kind: 'consumer'; queue: LocalQueue } | { name: string; kind: 'schedule' };

export class LocalQueues {
  private readonly sources: Source[];

  constructor(private readonly options: LocalQueuesOptions) {
    this.sources = deadLetterSources().flatMap((source): Source[] => {
      if (source.kind === 'schedule') return [{ name: source.name, kind: 'schedule' }];
      const queue = options.consumers.get(source.consumer.id);
      return queue ? [{ name: source.name, kind: 'consumer', queue }] : [];
    });
  }

  list(): LocalQueueView[] {
    return this.sources.map((source) => {
      if (source.kind === 'schedule') {
        const deadLetters = this.options
          .scheduleDeadLetters()
          .filter((letter) => scheduleOf(letter) === source.name);
        return { name: source.name, kind: source.kind, depth: null, deadLetters };
      }
      const { queue } = source;
      return {
        name: source.name,
        kind: source.kind,
        depth: queue.depth,
        deadLetters: [...queue.deadLetters],
      };
    });
  }

  /** The answer to a request for this tool, or undefined for any other path. */
  answer(method: string, path: string): APIGatewayProxyStructuredResultV2 | undefined {
    if (path === '/_local/queues') {
      if (method !== 'GET') return notAllowed(method, path, 'GET');
      return json(200, { items: this.list() });
    }
    const redrive = REDRIVE_PATH.exec(path);
    if (!redrive) return undefined;
    if (method !== 'POST') return notAllowed(method, path, 'POST');
    let name: string;
    try {
      name = decodeURIComponent(redrive[1] ?? '');
    } catch {
      return problemResponse(
        400,
        'malformed-path',
        'The queue name in the path is not valid percent-encoding.',
      );
    }
    const source = this.sources.find((s) => s.name === name);
    if (!source) {
      return problemResponse(
        404,
        'queue-not-found',
        `There is no queue "${name}"; the queues are: ${this.sources.map((s) => s.name).join(', ')}.`,
        { instance: path },
      );
    }
    if (source.kind === 'schedule') {
      // As in AWS (SQS moves only dead letters that came from an SQS queue): a firing is run again, not moved.
      return problemResponse(
        409,
        'not-redrivable',
        `"${name}" holds failed firings of the ${name} schedule, which came from no queue: fix the cause and fire ` +
          `the schedule again (POST /_local/schedules/${name}/run, or ops notices run for a bill-notice period).`,
        { instance: path },
      );
    }
    return json(200, { queue: name, moved: source.queue.redrive() });
  }
}

const REDRIVE_PATH = /^\/_local\/queues\/([^/]+)\/redrive$/;

function notAllowed(method: string, path: string, allow: string): APIGatewayProxyStructuredResultV2 {
  return problemResponse(405, 'method-not-allowed', `${method} is not allowed on ${path}.`, {
    headers: { allow },
  });
}
