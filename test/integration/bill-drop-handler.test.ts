// The BillDrop function as Lambda runs it: S3's event from the drop queue, the bucket mocked, the table on DynamoDB Local.
import 'aws-sdk-client-mock-vitest/extend';
import { readFileSync } from 'node:fs';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3BillDropFiles } from '#adapters/aws/s3-bill-drops';
import { importAccounts } from '#app/import';
import { csvTextRows } from '#app/import-csv';
import type { Deps } from '#app/ports';
import { handleRecord } from '#handlers/s3/bill-drop';
import { runSqsBatch } from '#handlers/sqs/sqs-handler';
import { testWorld } from '#test/support/deps';
import { outboundRecord } from '#test/support/sqs';

const BUCKET = 'seoul-water-billing-exchange-123456789012-ap-northeast-2';
const s3 = mockClient(S3Client);
const read = (path: string) => readFileSync(new URL(path, import.meta.url));
const s3Event = read('../fixtures/events/s3-bill-drop.json').toString('utf8');
const bills = read('../fixtures/import/seoul-bills.csv');

/** The drop queue's message as Lambda receives it: S3's event notification as the body. */
const dropRecord = (body: string, messageId: string) => ({
  ...outboundRecord(body, new Date('2026-03-20T01:15:43Z')),
  messageId,
  eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:bill-drop',
});

let deps: Deps;

beforeAll(async () => {
  const world = await testWorld('seoul-water', new Date('2026-03-20T01:16:00Z'));
  deps = {
    ...world.deps,
    billDropFiles: new S3BillDropFiles(new S3Client({ region: 'ap-northeast-2' }), BUCKET),
  };
  const accounts = csvTextRows('accounts', read('../fixtures/import/seoul-accounts.csv'));
  if (!accounts.ok) throw new Error(accounts.problem);
  await importAccounts(world.deps, accounts.rows);
});

beforeEach(() => {
  s3.reset();
  s3.on(GetObjectCommand).resolves({
    Body: {
      transformToByteArray: async () => new Uint8Array(bills),
    } as unknown as GetObjectCommandOutput['Body'],
  });
  s3.on(PutObjectCommand).resolves({});
  s3.on(CopyObjectCommand).resolves({});
  s3.on(DeleteObjectCommand).resolves({});
});

describe('the BillDrop function', () => {
  it('imports the dropped version once when S3 delivers its event twice', async () => {
    // The utility's system uploaded "2026-03 서울.csv"; S3's at-least-once delivery sent the event twice.
    // The queue hands the function one drop per invocation (batch size 1): the duplicate comes in a later one.
    const first = await runSqsBatch(
      handleRecord,
      { Records: [dropRecord(s3Event, 'm-1')] },
      async () => deps,
    );
    const duplicate = await runSqsBatch(
      handleRecord,
      { Records: [dropRecord(s3Event, 'm-2')] },
      async () => deps,
    );

    expect([first, duplicate]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: 'bills/incoming/2026-03 서울.csv',
      VersionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
    });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'bills/rejects/2026-03 서울.csv' });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Key: 'bills/incoming/2026-03 서울.csv',
      VersionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
    });
    expect(await deps.bills.get('123456789', '2026-03')).toMatchObject({
      amountDue: 24400,
      source: 'import',
    });
  });

  it('skips S3 test events and hands a message it cannot read back to the queue', async () => {
    // S3's test event when the notification was set up, and a stray message someone sent by hand.
    const event = {
      Records: [dropRecord('{"Service":"Amazon S3","Event":"s3:TestEvent"}', 'm-3'), dropRecord('{}', 'm-4')],
    };

    const result = await runSqsBatch(handleRecord, event, async () => deps);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-4' }] });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('hands the event back when the bucket fails, and imports on the redelivery', async () => {
    // S3 answers 503 Slow Down once; the queue redelivers the event.
    const other = s3Event.replace('3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', 'second-version');
    s3.on(GetObjectCommand)
      .rejectsOnce(
        Object.assign(new Error('Slow Down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
      )
      .resolves({
        Body: {
          transformToByteArray: async () => new Uint8Array(bills),
        } as unknown as GetObjectCommandOutput['Body'],
      });

    const failed = await runSqsBatch(handleRecord, { Records: [dropRecord(other, 'm-5')] }, async () => deps);
    const retried = await runSqsBatch(
      handleRecord,
      { Records: [dropRecord(other, 'm-5')] },
      async () => deps,
    );

    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-5' }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { VersionId: 'second-version' });
  });
});
