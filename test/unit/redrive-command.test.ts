// `ops redrive <queue>` in AWS: the queue's tag says which consumer it feeds, its redrive policy names its DLQ, SQS
// moves the dead letters back, and the command follows the move task to its end. SQS has no local emulator here: the client is mocked and every call checked.
import 'aws-sdk-client-mock-vitest/extend';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueueTagsCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addRedriveCommand } from '../../bin/ops/redrive-command.ts';

const sqs = mockClient(SQSClient);
const QUEUE_URL =
  'https://sqs.ap-northeast-2.amazonaws.com/123456789012/UtilityDesk-seoul-water-Data-NoticeSendQueue';
const QUEUE_ARN = 'arn:aws:sqs:ap-northeast-2:123456789012:UtilityDesk-seoul-water-Data-NoticeSendQueue';
const DLQ_NAME = 'UtilityDesk-seoul-water-Data-NoticeSendDeadLetterQueue';
const DLQ_ARN = `arn:aws:sqs:ap-northeast-2:123456789012:${DLQ_NAME}`;
const DLQ_URL = `https://sqs.ap-northeast-2.amazonaws.com/123456789012/${DLQ_NAME}`;

let stdout: string;
let stderr: string;

/** Runs `ops redrive ...args` in this process, as bin/ops.ts would; answers the exit code it set. */
async function redrive(...args: string[]): Promise<number> {
  const program = new Command('ops').exitOverride();
  addRedriveCommand(program);
  await program.parseAsync(['redrive', ...args, '--region', 'ap-northeast-2', '--poll-ms', '0'], {
    from: 'user',
  });
  return Number(process.exitCode ?? 0);
}

/** The lines of stderr that warn (the progress bar writes there too). */
const warnings = () => stderr.split('\n').filter((line) => line.startsWith('Warning'));

/** The notice sender's queue (or, by its tag, another consumer's), its DLQ holding `depth` dead letters. */
function aQueueWithDeadLetters(
  depth: number,
  tags: Record<string, string> = { 'utilitydesk:consumer': 'NoticeSend' },
) {
  sqs
    .on(ListQueueTagsCommand, { QueueUrl: QUEUE_URL })
    .resolves({ Tags: { project: 'UtilityDesk', utility: 'seoul-water', ...tags } })
    .on(GetQueueAttributesCommand, { QueueUrl: QUEUE_URL })
    .resolves({
      Attributes: {
        QueueArn: QUEUE_ARN,
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }),
      },
    })
    .on(GetQueueUrlCommand)
    .resolves({ QueueUrl: DLQ_URL })
    .on(GetQueueAttributesCommand, { QueueUrl: DLQ_URL })
    .resolves({
      Attributes: { ApproximateNumberOfMessages: String(depth), ApproximateNumberOfMessagesNotVisible: '0' },
    });
}

beforeEach(() => {
  sqs.reset();
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('ops redrive in AWS', () => {
  it('checks the queue feeds the consumer named, finds the DLQ from the redrive policy, moves its messages back and follows the task', async () => {
    // The provider's outage put 42 notices in the NoticeSend DLQ; it is over, and the operator redrives them gently.
    aQueueWithDeadLetters(42);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [{ TaskHandle: 'task-1', Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 10 }],
      })
      .resolves({
        Results: [
          {
            Status: 'COMPLETED',
            ApproximateNumberOfMessagesMoved: 42,
            ApproximateNumberOfMessagesToMove: 42,
          },
        ],
      });

    const code = await redrive('notice-send', '--queue-url', QUEUE_URL, '--max-per-second', '50');

    expect(code).toBe(0);
    expect(sqs.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
      ['ListQueueTagsCommand', { QueueUrl: QUEUE_URL }],
      ['GetQueueAttributesCommand', { QueueUrl: QUEUE_URL, AttributeNames: ['QueueArn', 'RedrivePolicy'] }],
      ['GetQueueUrlCommand', { QueueName: DLQ_NAME, QueueOwnerAWSAccountId: '123456789012' }],
      [
        'GetQueueAttributesCommand',
        {
          QueueUrl: DLQ_URL,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        },
      ],
      [
        'StartMessageMoveTaskCommand',
        { SourceArn: DLQ_ARN, DestinationArn: QUEUE_ARN, MaxNumberOfMessagesPerSecond: 50 },
      ],
      ['ListMessageMoveTasksCommand', { SourceArn: DLQ_ARN, MaxResults: 1 }],
      ['ListMessageMoveTasksCommand', { SourceArn: DLQ_ARN, MaxResults: 1 }],
    ]);
    expect(stdout).toContain(`The notice-send dead-letter queue (${DLQ_NAME}) holds about 42 message(s).`);
    expect(stdout).toContain('Moved 42 dead letter(s) back onto the notice-send queue');
    expect(warnings()).toEqual([]);
  });

  it('lets SQS pick the rate when --max-per-second is not given', async () => {
    aQueueWithDeadLetters(3);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-2' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3 }],
    });

    await redrive('notice-send', '--queue-url', QUEUE_URL);

    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: DLQ_ARN,
      DestinationArn: QUEUE_ARN,
    });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).not.toHaveProperty(
      'MaxNumberOfMessagesPerSecond',
    );
  });

  it('with --dry-run shows the depth of the DLQ and moves nothing', async () => {
    aQueueWithDeadLetters(7);

    expect(await redrive('notice-send', '--queue-url', QUEUE_URL, '--dry-run')).toBe(0);

    expect(stdout).toContain('holds about 7 message(s)');
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
  });

  it('starts no task for an empty DLQ', async () => {
    aQueueWithDeadLetters(0);

    expect(await redrive('notice-send', '--queue-url', QUEUE_URL)).toBe(0);

    expect(stdout).toContain('Nothing to redrive.');
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
  });

  it('ends with an error naming the reason when the move task fails, saying what is left where', async () => {
    aQueueWithDeadLetters(5);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-3' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [
        {
          Status: 'FAILED',
          ApproximateNumberOfMessagesMoved: 2,
          FailureReason: 'AWS.SimpleQueueService.KmsAccessDenied',
        },
      ],
    });

    await expect(redrive('notice-send', '--queue-url', QUEUE_URL)).rejects.toThrow(
      'The move task ended FAILED: AWS.SimpleQueueService.KmsAccessDenied after moving about 2 message(s); what is left waits in the dead-letter queue.',
    );
  });

  it('refuses a queue with no redrive policy: the DLQ URL given by mistake', async () => {
    // A DLQ carries no consumer tag, so the tag check only warns; the missing redrive policy is what stops it.
    sqs.on(ListQueueTagsCommand).resolves({});
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN } });

    await expect(redrive('notice-send', '--queue-url', DLQ_URL)).rejects.toThrow(
      `${DLQ_URL} has no redrive policy: give the notice-send queue's URL (NoticeSendQueueUrl), not its dead-letter queue.`,
    );
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
  });

  it("needs the queue's URL, naming the stack output that holds it", async () => {
    await expect(redrive('sms-outbound')).rejects.toThrow(
      "Name the sms-outbound queue with --queue-url (the data stack's output SmsOutboundQueueUrl), or the local runtime with --runtime.",
    );
    expect(sqs.calls()).toHaveLength(0);
  });

  it('moves the dead letters of a queue S3 feeds, as of any consumer', async () => {
    // PhotoCheck could not reach the table for an hour; the uploads are kept a day, so the operator redrives now.
    aQueueWithDeadLetters(4, { 'utilitydesk:consumer': 'PhotoCheck' });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-4' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4 }],
    });

    expect(await redrive('photo-check', '--queue-url', QUEUE_URL)).toBe(0);

    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: DLQ_ARN,
      DestinationArn: QUEUE_ARN,
    });
    expect(stdout).toContain('Moved 4 dead letter(s) back onto the photo-check queue');
    expect(warnings()).toEqual([]);
  });

  it("names the bill drop queue's stack output when its URL is missing", async () => {
    await expect(redrive('bill-drop')).rejects.toThrow(
      "Name the bill-drop queue with --queue-url (the data stack's output BillDropQueueUrl), or the local runtime with --runtime.",
    );
    expect(sqs.calls()).toHaveLength(0);
  });

  it('says locally that a dropped file or a posted photo is handled at once, with no dead letters to move', async () => {
    // npm start checks a photo the moment it is posted: there is no queue, and the runtime is not even asked.
    await expect(redrive('photo-check', '--runtime', 'http://127.0.0.1:9')).rejects.toThrow(
      /"photo-check" has a queue in AWS only: the local runtime handles a complaint photo posted with its upload form the moment it arrives/,
    );
  });

  it("refuses a schedule's DLQ, whose failed firings came from no queue, and says how to fire them again", async () => {
    // SQS moves only dead letters of SQS queues; a firing is run again (the run is the same run), not moved.
    await expect(redrive('bill-notices', '--queue-url', QUEUE_URL)).rejects.toThrow(
      /"bill-notices" is a schedule's dead-letter queue: .*npm run ops -- notices run --period <YYYY-MM>/,
    );
    expect(sqs.calls()).toHaveLength(0);
  });

  it('turns an SQS refusal into one sentence', async () => {
    // A URL from another region's deployment: the first call, for the queue's tags, is refused.
    sqs.on(ListQueueTagsCommand).rejects(
      Object.assign(new Error('The specified queue does not exist.'), {
        name: 'QueueDoesNotExist',
        $metadata: {},
      }),
    );

    await expect(redrive('notice-send', '--queue-url', QUEUE_URL)).rejects.toThrow(
      'ListQueueTags on the queue: the queue does not exist (check --queue-url and --region).',
    );
    expect(sqs).not.toHaveReceivedCommand(GetQueueAttributesCommand);
  });

  it('refuses a queue tagged for another consumer, naming both and the output to use, and moves nothing', async () => {
    // `redrive photo-check` with NoticeSendQueueUrl pasted by mistake would have moved the notices' dead letters.
    aQueueWithDeadLetters(9, { 'utilitydesk:consumer': 'NoticeSend' });

    await expect(redrive('photo-check', '--queue-url', QUEUE_URL)).rejects.toThrow(
      `${QUEUE_URL} is the notice-send queue (tagged utilitydesk:consumer=NoticeSend), not the photo-check queue: ` +
        "give the data stack's output PhotoCheckQueueUrl, or redrive notice-send if that is the one meant.",
    );
    expect(sqs.calls().map((call) => call.args[0].constructor.name)).toEqual(['ListQueueTagsCommand']);
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
  });

  it('refuses it with --dry-run too, before reading any depth', async () => {
    // The depth printed would be the other consumer's, under this one's name.
    aQueueWithDeadLetters(9, { 'utilitydesk:consumer': 'SmsOutbound' });

    await expect(redrive('notice-send', '--queue-url', QUEUE_URL, '--dry-run')).rejects.toThrow(
      /is the sms-outbound queue .* not the notice-send queue: give the data stack's output NoticeSendQueueUrl/,
    );
    expect(stdout).toBe('');
  });

  it('warns in one line and moves the dead letters of a queue deployed before queues were tagged', async () => {
    // A deployment from before this version: its queues have the stacks' tags but no consumer tag to check.
    aQueueWithDeadLetters(3, {});
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-6' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3 }],
    });

    expect(await redrive('notice-send', '--queue-url', QUEUE_URL)).toBe(0);

    expect(warnings()).toEqual([
      `Warning: ${QUEUE_URL} has no utilitydesk:consumer tag (deployed before queues were tagged), so it cannot be ` +
        'checked to be the notice-send queue; going ahead.',
    ]);
    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: DLQ_ARN,
      DestinationArn: QUEUE_ARN,
    });
    expect(stdout).toContain('Moved 3 dead letter(s) back onto the notice-send queue');
  });
});
