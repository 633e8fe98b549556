// ops redrive <queue>: moves a consumer's dead letters back onto its queue, in AWS (an SQS message move task) or locally.
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ListQueueTagsCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import {
  CONSUMER_TAG,
  consumerQueueName,
  type DeadLetterSource,
  deadLetterSources,
} from '#handlers/sqs/queue-names';
import { EXIT, FatalError } from './exit.ts';
import { progressReporter } from './progress.ts';

interface RedriveOptions {
  runtime?: string;
  queueUrl?: string;
  region?: string;
  dryRun?: boolean;
  maxPerSecond?: number;
  /** How often the move task (or the local queue) is looked at; tests shorten it. */
  pollMs: number;
}

const EXAMPLE = 'npm run ops -- redrive notice-send --runtime http://127.0.0.1:3000';

/** The construct id's stack output that holds a consumer's queue URL (lib/data-stack.ts). */
const queueUrlOutput = (source: DeadLetterSource) =>
  source.kind === 'schedule' ? '' : `${source.consumer.id}QueueUrl`;

/** Why a schedule's dead letters are not moved, and what to do instead: the same in AWS and locally. */
function refuseSchedule(name: string, local: boolean): never {
  const fire = local
    ? `POST /_local/schedules/${name}/run on the runtime`
    : `\`aws lambda invoke\` of its function with the firing's payload`;
  throw new FatalError(
    `"${name}" is a schedule's dead-letter queue: its messages are failed firings, which came from no queue, so ` +
      `there is nothing to move them back to (SQS moves only dead letters of SQS queues). Fix the cause, then fire ` +
      `the schedule again for each firing's scheduledAt: \`npm run ops -- notices run --period <YYYY-MM>\` for ` +
      `bill-notices, or ${fire}; then delete the messages. See docs/operations.md, "Dead letters".`,
  );
}

/** Locally a bucket's files are handled as they arrive: no queue, so nothing waits to be moved. */
function refuseLocalBucketEvents(name: string, arrival: string): never {
  throw new FatalError(
    `"${name}" has a queue in AWS only: the local runtime handles ${arrival} the moment it arrives, so nothing ` +
      "waits in a dead-letter queue here. A failure is in the runtime's log; fix the cause and send the file again.",
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- AWS: the source queue's redrive policy names the DLQ; SQS moves the messages back ----

const redrivePolicySchema = z.object({ deadLetterTargetArn: z.string().startsWith('arn:') });

/** arn:aws:sqs:<region>:<account>:<name> */
function queueOfArn(arn: string): { account: string; name: string } {
  const [, , , , account = '', name = ''] = arn.split(':');
  return { account, name };
}

/** Turns SQS's errors into one sentence a member of staff can act on; others are returned as they are. */
function explainSqsError(error: unknown, action: string): unknown {
  if (!(error instanceof Error) || error instanceof FatalError) return error;
  if (error.name === 'CredentialsProviderError')
    return new FatalError(`No AWS credentials were found for ${action}: ${error.message}`);
  if (error.name === 'QueueDoesNotExist' || error.name === 'AWS.SimpleQueueService.NonExistentQueue')
    return new FatalError(`${action}: the queue does not exist (check --queue-url and --region).`);
  if ('$metadata' in error) return new FatalError(`SQS refused ${action}: ${error.name}: ${error.message}`);
  return error;
}

async function ask<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainSqsError(error, action);
  }
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/**
 * Refuses a --queue-url whose tag names another consumer: its redrive policy would be read and the other consumer's
 * dead letters moved, quietly. A queue without the tag was deployed before queues were tagged: it cannot be checked,
 * so the operator is warned and the redrive goes ahead, as it did then.
 */
async function checkQueueFeeds(
  sqs: SQSClient,
  queueUrl: string,
  source: Exclude<DeadLetterSource, { kind: 'schedule' }>,
): Promise<void> {
  const { Tags } = await ask('ListQueueTags on the queue', () =>
    sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl })),
  );
  const consumerId = Tags?.[CONSUMER_TAG];
  if (consumerId === source.consumer.id) return;
  if (consumerId === undefined) {
    process.stderr.write(
      `Warning: ${queueUrl} has no ${CONSUMER_TAG} tag (deployed before queues were tagged), so it cannot be ` +
        `checked to be the ${source.name} queue; going ahead.\n`,
    );
    return;
  }
  throw new FatalError(
    `${queueUrl} is the ${consumerQueueName({ id: consumerId })} queue (tagged ${CONSUMER_TAG}=${consumerId}), ` +
      `not the ${source.name} queue: give the data stack's output ${queueUrlOutput(source)}, or redrive ` +
      `${consumerQueueName({ id: consumerId })} if that is the one meant.`,
  );
}

async function redriveInAws(source: DeadLetterSource, options: RedriveOptions): Promise<number> {
  if (source.kind === 'schedule') refuseSchedule(source.name, false);
  if (!options.queueUrl) {
    throw new FatalError(
      `Name the ${source.name} queue with --queue-url (the data stack's output ${queueUrlOutput(source)}), or the ` +
        'local runtime with --runtime.',
    );
  }
  const queueUrl = options.queueUrl;
  const sqs = new SQSClient({ region: options.region });
  try {
    await checkQueueFeeds(sqs, queueUrl, source);
    const attributes = await ask('GetQueueAttributes on the queue', () =>
      sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
      ),
    );
    const queueArn = attributes.Attributes?.QueueArn;
    const policy = redrivePolicySchema.safeParse(
      JSON.parse(attributes.Attributes?.RedrivePolicy ?? 'null') as unknown,
    );
    if (!queueArn || !policy.success) {
      throw new FatalError(
        `${queueUrl} has no redrive policy: give the ${source.name} queue's URL (${queueUrlOutput(source)}), not its ` +
          'dead-letter queue.',
      );
    }
    const deadLetterArn = policy.data.deadLetterTargetArn;
    const deadLetterQueue = queueOfArn(deadLetterArn);
    const { QueueUrl: deadLetterUrl } = await ask('GetQueueUrl of the dead-letter queue', () =>
      sqs.send(
        new GetQueueUrlCommand({
          QueueName: deadLetterQueue.name,
          QueueOwnerAWSAccountId: deadLetterQueue.account,
        }),
      ),
    );
    const depthAttributes = await ask('GetQueueAttributes on the dead-letter queue', () =>
      sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: deadLetterUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      ),
    );
    const depth = Number(depthAttributes.Attributes?.ApproximateNumberOfMessages ?? 0);
    const inFlight = Number(depthAttributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    process.stdout.write(
      `The ${source.name} dead-letter queue (${deadLetterQueue.name}) holds about ${depth} message(s)` +
        `${inFlight > 0 ? ` (and ${inFlight} being read)` : ''}.\n`,
    );
    if (options.dryRun) return EXIT.ok;
    if (depth === 0 && inFlight === 0) {
      process.stdout.write('Nothing to redrive.\n');
      return EXIT.ok;
    }
    await ask('StartMessageMoveTask', () =>
      sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: deadLetterArn,
          DestinationArn: queueArn,
          ...(options.maxPerSecond ? { MaxNumberOfMessagesPerSecond: options.maxPerSecond } : {}),
        }),
      ),
    );
    const task = await followMoveTask(sqs, deadLetterArn, depth, options.pollMs);
    const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task.Status !== 'COMPLETED') {
      throw new FatalError(
        `The move task ended ${task.Status}${task.FailureReason ? `: ${task.FailureReason}` : ''} after moving ` +
          `about ${moved} message(s); what is left waits in the dead-letter queue.`,
      );
    }
    process.stdout.write(
      `Moved ${moved} dead letter(s) back onto the ${source.name} queue; the consumer processes them again ` +
        '(idempotently: what was done before is not done twice).\n',
    );
    return EXIT.ok;
  } finally {
    sqs.destroy();
  }
}

/** Follows the dead-letter queue's newest move task (one runs at a time per queue) until it is finished. */
async function followMoveTask(
  sqs: SQSClient,
  deadLetterArn: string,
  depth: number,
  pollMs: number,
): Promise<ListMessageMoveTasksResultEntry> {
  const detail = (task: ListMessageMoveTasksResultEntry) => `${task.Status ?? 'RUNNING'}`;
  const progress = progressReporter('redrive', depth, 'messages', 'RUNNING');
  try {
    for (;;) {
      const { Results } = await ask('ListMessageMoveTasks', () =>
        sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterArn, MaxResults: 1 })),
      );
      const task = Results?.[0];
      if (task) {
        progress.update(task.ApproximateNumberOfMessagesMoved ?? 0, detail(task));
        if (FINISHED.has(task.Status ?? '')) return task;
      }
      await sleep(pollMs);
    }
  } finally {
    progress.stop();
  }
}

// ---- Local: the runtime's in-process queues keep their dead letters; it moves them back when asked ----

const localQueuesSchema = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['consumer', 'schedule']),
      depth: z.number().nullable(),
      deadLetters: z.array(z.object({ messageId: z.string(), deadLetteredAt: z.string() })),
    }),
  ),
});
const redriveAnswerSchema = z.object({ queue: z.string(), moved: z.number() });
const problemSchema = z.object({ title: z.string().optional(), detail: z.string().optional() });

async function callRuntime(runtime: string, path: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(new URL(path, runtime), init).catch((error: Error) => {
    throw new FatalError(
      `The local runtime at ${runtime} does not answer (${error.message}): is npm start running?`,
    );
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = problemSchema.safeParse(body).data;
    throw new FatalError(`The runtime refused: ${problem?.detail ?? problem?.title ?? response.status}`);
  }
  return body;
}

async function localQueue(runtime: string, name: string) {
  const parsed = localQueuesSchema.safeParse(await callRuntime(runtime, '/_local/queues'));
  if (!parsed.success)
    throw new FatalError(`${runtime} is not a UtilityDesk local runtime (GET /_local/queues).`);
  const queue = parsed.data.items.find((item) => item.name === name);
  if (!queue) throw new FatalError(`The runtime at ${runtime} has no queue "${name}".`);
  return queue;
}

async function redriveLocally(
  source: DeadLetterSource,
  runtime: string,
  options: RedriveOptions,
): Promise<number> {
  if (source.kind === 'bucket-events') refuseLocalBucketEvents(source.name, source.arrival);
  const before = await localQueue(runtime, source.name);
  process.stdout.write(
    `The ${source.name} dead letters in ${runtime}: ${before.deadLetters.length}` +
      `${before.deadLetters[0] ? ` (newest ${before.deadLetters[0].deadLetteredAt})` : ''}.\n`,
  );
  if (options.dryRun) return EXIT.ok;
  if (source.kind === 'schedule') refuseSchedule(source.name, true);
  const answer = redriveAnswerSchema.parse(
    await callRuntime(runtime, `/_local/queues/${encodeURIComponent(source.name)}/redrive`, {
      method: 'POST',
    }),
  );
  if (answer.moved === 0) {
    process.stdout.write('Nothing to redrive.\n');
    return EXIT.ok;
  }
  // Done when the queue has delivered them: processed, or dead-lettered once more.
  const progress = progressReporter('redrive', answer.moved, 'messages', 'delivering');
  let after = await localQueue(runtime, source.name);
  try {
    while ((after.depth ?? 0) > 0) {
      progress.update(Math.max(0, answer.moved - (after.depth ?? 0)), `${after.depth} in the queue`);
      await sleep(options.pollMs);
      after = await localQueue(runtime, source.name);
    }
    progress.update(answer.moved, 'delivered');
  } finally {
    progress.stop();
  }
  const again = after.deadLetters.length;
  process.stdout.write(
    `Moved ${answer.moved} dead letter(s) back onto the ${source.name} queue: ${answer.moved - again} processed, ` +
      `${again} dead-lettered again.\n`,
  );
  return again > 0 ? EXIT.rejected : EXIT.ok;
}

const positiveRate = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 500)
    throw new InvalidArgumentError('a whole number from 1 to 500 (SQS moves at most 500 a second)');
  return number;
};

export function addRedriveCommand(program: Command): void {
  const sources = deadLetterSources();
  const consumers = sources.filter((s) => s.kind === 'consumer').map((s) => s.name);
  const buckets = sources.filter((s) => s.kind === 'bucket-events').map((s) => s.name);
  const scheduled = sources.filter((s) => s.kind === 'schedule').map((s) => s.name);
  program.addCommand(
    new Command('redrive')
      .description("Move a queue's dead letters back onto it, once the cause is fixed")
      .addArgument(
        new Argument(
          '<queue>',
          "the consumer's queue, a queue S3 feeds, or a schedule's dead-letter queue",
        ).choices(sources.map((s) => s.name)),
      )
      .addOption(
        new Option(
          '--runtime <url>',
          'the local runtime (npm start), e.g. http://127.0.0.1:3000, instead of AWS',
        ),
      )
      .addOption(
        new Option(
          '--queue-url <url>',
          "the consumer's queue in AWS (the data stack's output <Consumer>QueueUrl, e.g. NoticeSendQueueUrl)",
        ),
      )
      .addOption(new Option('--region <region>', 'AWS region (absent: us-east-1)').env('AWS_REGION'))
      .option('--dry-run', "show the dead-letter queue's depth and move nothing")
      .addOption(
        new Option(
          '--max-per-second <n>',
          'AWS: move at most this many a second (1-500; absent: SQS decides)',
        ).argParser(positiveRate),
      )
      .addOption(new Option('--poll-ms <ms>').default(2000).argParser(Number).hideHelp())
      .addHelpText(
        'after',
        [
          '',
          `Consumers' queues: ${consumers.join(', ')}.`,
          `Queues S3 feeds (AWS only): ${buckets.join(', ')} (bill-drop where the utility's own billing system`,
          'drops bill files).',
          `Schedules' dead-letter queues: ${scheduled.join(', ')} (a failed firing is fired again,`,
          'not moved: the command says how).',
          '',
          `In AWS it first checks that the queue's ${CONSUMER_TAG} tag names the consumer asked for (a queue`,
          'without the tag, deployed before queues were tagged, is redriven with a warning).',
          "It reads the queue's redrive policy to find its dead-letter queue, starts an SQS message move",
          'task back to the queue and follows it until it ends; locally (--runtime) the runtime delivers its dead',
          'letters again and the command waits until they are processed or dead-lettered once more (exit code 2).',
          'Consumers are idempotent: a message that was in fact processed changes nothing when it comes back.',
          '',
          'Examples:',
          `  ${EXAMPLE}`,
          '  npm run ops -- redrive notice-send --queue-url https://sqs.ap-northeast-2.amazonaws.com/123456789012/... --dry-run',
        ].join('\n'),
      )
      .action(async (queue: string, options: RedriveOptions) => {
        const source = sources.find((s) => s.name === queue);
        if (!source) throw new FatalError(`There is no queue "${queue}".`);
        process.exitCode = options.runtime
          ? await redriveLocally(source, options.runtime, options)
          : await redriveInAws(source, options);
      }),
  );
}
