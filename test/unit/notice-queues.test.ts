import 'aws-sdk-client-mock-vitest/extend';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsNoticeQueues } from '#adapters/aws/sqs-notice-queues';
import { type NoticeJob, readNoticeJob } from '#contracts/notice-job';
import { readNoticePlanMessage } from '#contracts/notice-plan';

const sqs = mockClient(SQSClient);
const URLS = { plan: 'https://sqs.local/plan', send: 'https://sqs.local/send' };
const queues = () => new SqsNoticeQueues(new SQSClient({ region: 'ap-northeast-2' }), URLS);
const RUN = { kind: 'bill', ref: '2026-12' } as const;
const jobs = (n: number): NoticeJob[] =>
  Array.from({ length: n }, (_, i) => ({
    run: RUN,
    accountNumber: `12345678${i}`,
    subscriptionId: `sub-${i}`,
  }));

beforeEach(() => sqs.reset());

describe('the notice queues in SQS', () => {
  it('queues 25 notices in SendMessageBatch calls of 10, 10 and 5, each body a job its reader reads back', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await queues().send(jobs(25));

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === URLS.send)).toBe(true);
    const bodies = calls.flatMap((c) => c.args[0].input.Entries?.map((e) => e.MessageBody ?? '') ?? []);
    expect(bodies.map(readNoticeJob)).toEqual(jobs(25));
  });

  it('carries keys only: no phone number, name or amount in a notice job', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    await queues().send(jobs(1));
    const body = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '';
    expect(Object.keys(JSON.parse(body)).sort()).toEqual([
      'accountNumber',
      'kind',
      'run',
      'subscriptionId',
      'v',
    ]);
    expect(body).not.toMatch(/\+\d{8,}/);
  });

  it('sends the entries SQS failed within a batch again, and only those', async () => {
    // SQS may refuse some entries of a batch (throttled, an internal error) while taking the others.
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [] })
      .callsFake((input) => {
        const failing = input.Entries?.[1]?.Id ?? '';
        return sqs.commandCalls(SendMessageBatchCommand).length === 2
          ? { Failed: [{ Id: failing, Code: 'InternalError', SenderFault: false, Message: 'try again' }] }
          : { Failed: [] };
      });

    await queues().send(jobs(20));

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 1]);
  });

  it('gives up with an error after three attempts at an entry, so the planner page is delivered again', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Failed: [{ Id: input.Entries?.[0]?.Id, Code: 'InternalError', SenderFault: false, Message: 'down' }],
    }));
    await expect(queues().send(jobs(3))).rejects.toThrow(/after 3 attempts: down/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('queues a planner page with one SendMessage to the planner queue', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    await queues().plan({ run: RUN, start: 2, shard: 7, cursor: 'abc' });
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, { QueueUrl: URLS.plan });
    const body = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '';
    expect(readNoticePlanMessage(body)).toEqual({
      type: 'page',
      page: { run: RUN, start: 2, shard: 7, cursor: 'abc' },
    });
  });
});
