// The billing exchange bucket's adapters as S3 sees them: exact commands for exports, drops, rejects and moves.
import 'aws-sdk-client-mock-vitest/extend';
import { readFileSync } from 'node:fs';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3BillDropFiles } from '#adapters/aws/s3-bill-drops';
import { S3ReadingExports } from '#adapters/aws/s3-reading-exports';
import { readBillDropEvent } from '#contracts/bill-drop-event';

const BUCKET = 'seoul-water-billing-exchange-123456789012-ap-northeast-2';
const s3 = mockClient(S3Client);
const client = () => new S3Client({ region: 'ap-northeast-2' });
const fixture = readFileSync(new URL('../fixtures/events/s3-bill-drop.json', import.meta.url), 'utf8');

/** A GetObject body as the SDK hands it over: the adapter only asks it for its bytes. */
const body = (text: string) =>
  ({
    transformToByteArray: async () => new TextEncoder().encode(text),
  }) as unknown as GetObjectCommandOutput['Body'];

beforeEach(() => s3.reset());

describe('S3 reading exports', () => {
  it('writes a window export as readings/<period>.csv, as CSV text, encrypted at rest', async () => {
    // Window close of March exports the accepted readings for the utility's billing system.
    s3.on(PutObjectCommand).resolves({});

    const result = await new S3ReadingExports(client(), BUCKET).put('2026-03', 'account_number,meter_id\n');

    expect(result).toEqual({ location: `s3://${BUCKET}/readings/2026-03.csv` });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'readings/2026-03.csv',
      Body: 'account_number,meter_id\n',
      ContentType: 'text/csv; charset=utf-8',
      ServerSideEncryption: 'AES256',
    });
  });
});

describe('the bill drop event', () => {
  it('names the dropped object with its key decoded and its version id', () => {
    // S3 writes "2026-03 서울.csv" URL-encoded, with "+" for the space.
    expect(readBillDropEvent(fixture)).toEqual([
      { key: 'bills/incoming/2026-03 서울.csv', version: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' },
    ]);
  });

  it('names an object of an unversioned bucket by its ETag, and S3 test events by nothing', () => {
    // The notification was just set up (S3's test event), and a bucket without versioning sent an event.
    const unversioned = JSON.parse(fixture) as {
      Records: Array<{ s3: { object: Record<string, unknown> } }>;
    };
    for (const record of unversioned.Records) delete record.s3.object.versionId;

    expect(readBillDropEvent(JSON.stringify(unversioned))).toEqual([
      { key: 'bills/incoming/2026-03 서울.csv', version: 'etag:d41d8cd98f00b204e9800998ecf8427e' },
    ]);
    expect(readBillDropEvent('{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}')).toEqual([]);
  });

  it('refuses a message that is no S3 object-created event, so it reaches the dead-letter queue', () => {
    // Someone sent a message to the drop queue by hand.
    expect(() => readBillDropEvent('{"Records":[{"eventSource":"aws:sqs"}]}')).toThrow(
      /no S3 ObjectCreated event/,
    );
    expect(() => readBillDropEvent('not json')).toThrow(/not JSON/);
  });
});

describe('S3 bill drop files', () => {
  const drop = { key: 'bills/incoming/2026-03 서울.csv', version: 'v-1' };

  it('reads exactly the dropped version', async () => {
    // A newer upload under the same name must not be imported under this event.
    s3.on(GetObjectCommand).resolves({ Body: body('account_number,period\n') });

    const bytes = await new S3BillDropFiles(client(), BUCKET).read(drop);

    expect(bytes?.toString('utf8')).toBe('account_number,period\n');
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: drop.key,
      VersionId: 'v-1',
    });
  });

  it('answers nothing for a version that is gone (moved by an earlier delivery)', async () => {
    // The first delivery moved the file; a late duplicate finds nothing to read.
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }));

    await expect(new S3BillDropFiles(client(), BUCKET).read(drop)).resolves.toBeUndefined();
  });

  it('reads an unversioned drop only while it is still the object the event named', async () => {
    // Without versioning, the ETag stands for the version: IfMatch refuses a file replaced since.
    s3.on(GetObjectCommand).resolves({ Body: body('x') });

    await new S3BillDropFiles(client(), BUCKET).read({ key: drop.key, version: 'etag:abc' });

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: drop.key, IfMatch: 'abc' });
  });

  it('writes the rejected rows to bills/rejects/ under the drop name', async () => {
    // Three rows of the drop named accounts that do not exist.
    s3.on(PutObjectCommand).resolves({});

    const where = await new S3BillDropFiles(client(), BUCKET).putRejects(drop, 'line,reason\n');

    expect(where).toBe(`s3://${BUCKET}/bills/rejects/2026-03 서울.csv`);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'bills/rejects/2026-03 서울.csv',
      ContentType: 'text/csv; charset=utf-8',
      ServerSideEncryption: 'AES256',
    });
  });

  it('moves the dropped version to bills/processed/: a copy of that version, then that version deleted', async () => {
    // The import is done; the file leaves bills/incoming/ so the utility sees it was taken.
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});

    await new S3BillDropFiles(client(), BUCKET).archive(drop);

    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: BUCKET,
      Key: 'bills/processed/2026-03 서울.csv',
      CopySource: `${BUCKET}/bills/incoming/2026-03%20%EC%84%9C%EC%9A%B8.csv?versionId=v-1`,
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: BUCKET,
      Key: drop.key,
      VersionId: 'v-1',
    });
  });

  it('leaves a drop that an earlier delivery moved as it is', async () => {
    // A duplicate event after the move: the source version no longer exists.
    s3.on(CopyObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }));

    await new S3BillDropFiles(client(), BUCKET).archive(drop);

    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });
});
