// The photo bucket's adapter as S3 sees it: the POST policy a form carries, exact commands, and signed links.
import 'aws-sdk-client-mock-vitest/extend';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3PhotoBucket } from '#adapters/aws/s3-photo-bucket';
import { photoUploadConditions } from '#app/complaint-photos';
import { readPhotoUploadEvent } from '#contracts/photo-upload-event';

const BUCKET = 'seoul-water-complaint-photos-123456789012-ap-northeast-2';
const KEY = 'uploads/0b6e2f9c-8a51-4c1e-9d0e-2f4a7c3b5d61/5f3c1a2e-7b9d-4e6f-8a0c-1d2e3f4a5b6c';
const s3 = mockClient(S3Client);
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const client = () => new S3Client({ region: 'ap-northeast-2', credentials });
const NOW = new Date('2026-12-01T01:00:00Z');

beforeEach(() => s3.reset());
afterEach(() => {
  vi.useRealTimers();
});

describe('the upload form (presigned POST)', () => {
  it('carries a policy S3 enforces: this key only, 1 byte to maxBytes, an image/ content type, this bucket, five minutes', async () => {
    // A resident's browser posts the form straight to the bucket; S3 checks every condition before storing a byte.
    // The SDK signs with the system clock: pinned, so the expiry is exact.
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const form = await new S3PhotoBucket(client(), BUCKET).presign(
      KEY,
      photoUploadConditions(KEY, 10 * 1024 * 1024),
      300,
    );

    expect(form.url).toBe(`https://${BUCKET}.s3.ap-northeast-2.amazonaws.com/`);
    expect(form.fields).toMatchObject({
      key: KEY,
      bucket: BUCKET,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': expect.stringMatching(/^AKIDEXAMPLE\/\d{8}\/ap-northeast-2\/s3\/aws4_request$/),
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The declared type is checked by prefix only: the form must not pin one in its fields.
    expect(form.fields).not.toHaveProperty('Content-Type');
    const policy = JSON.parse(Buffer.from(form.fields.Policy ?? '', 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { key: KEY },
        ['content-length-range', 1, 10 * 1024 * 1024],
        ['starts-with', '$Content-Type', 'image/'],
        { bucket: BUCKET },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
      ]),
    );
    expect(policy.expiration).toBe('2026-12-01T01:05:00Z');
  });
});

describe('objects', () => {
  it('reads an upload, and answers nothing for one deleted already', async () => {
    s3.on(GetObjectCommand, { Key: KEY }).resolves({
      Body: {
        transformToByteArray: async () => new Uint8Array([0xff, 0xd8, 0xff]),
      } as unknown as GetObjectCommandOutput['Body'],
    });
    s3.on(GetObjectCommand, { Key: 'uploads/gone/gone' }).rejects(
      new NoSuchKey({ message: 'gone', $metadata: {} }),
    );
    const bucket = new S3PhotoBucket(client(), BUCKET);

    expect(await bucket.read(KEY)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await bucket.read('uploads/gone/gone')).toBeUndefined();
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: KEY });
  });

  it('writes a checked copy as an inline JPEG, encrypted at rest, and deletes uploads by key', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    const bucket = new S3PhotoBucket(client(), BUCKET);
    const copy = Buffer.from('jpeg bytes');

    await bucket.put('photos/c/p.jpg', copy, 'image/jpeg');
    await bucket.delete(KEY);

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'photos/c/p.jpg',
      Body: copy,
      ContentType: 'image/jpeg',
      ContentDisposition: 'inline',
      ServerSideEncryption: 'AES256',
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: BUCKET, Key: KEY });
  });
});

describe('signed links to checked copies', () => {
  it("links to the copy for five minutes with the function's temporary credentials, token included", async () => {
    // In Lambda the role's credentials are temporary: a link without the session token would be refused.
    const temporary = new S3Client({
      region: 'ap-northeast-2',
      credentials: { ...credentials, sessionToken: 'token/with+chars=' },
    });
    const url = new URL(
      await new S3PhotoBucket(temporary, BUCKET, () => NOW).signedGetUrl('photos/c/p.jpg', 300),
    );

    expect(`${url.origin}${url.pathname}`).toBe(
      `https://${BUCKET}.s3.ap-northeast-2.amazonaws.com/photos/c/p.jpg`,
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      'X-Amz-Credential': 'AKIDEXAMPLE/20261201/ap-northeast-2/s3/aws4_request',
      'X-Amz-Date': '20261201T010000Z',
      'X-Amz-Expires': '300',
      'X-Amz-Security-Token': 'token/with+chars=',
      'X-Amz-SignedHeaders': 'host',
    });
  });
});

describe('the photo upload event', () => {
  it('names the uploaded key, decoded, and S3 test events nothing', () => {
    const event = {
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Post',
          s3: { bucket: { name: BUCKET }, object: { key: KEY, size: 31912, eTag: 'abc' } },
        },
      ],
    };
    expect(readPhotoUploadEvent(JSON.stringify(event))).toEqual([KEY]);
    expect(readPhotoUploadEvent('{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}')).toEqual([]);
  });

  it('refuses a message that is no S3 object-created event, so it reaches the dead-letter queue', () => {
    expect(() => readPhotoUploadEvent('{"Records":[{"eventSource":"aws:sqs"}]}')).toThrow(
      /no S3 ObjectCreated/,
    );
    expect(() => readPhotoUploadEvent('not json')).toThrow(/not JSON/);
  });
});
