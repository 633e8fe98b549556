// PhotoBucket in the private photo bucket: presigned POST forms for uploads/, reads and deletes, copies in photos/.
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PhotoBucket, PresignedUpload, UploadCondition } from '#app/ports';

function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export class S3PhotoBucket implements PhotoBucket {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presign(
    key: string,
    conditions: UploadCondition[],
    expiresSeconds: number,
  ): Promise<PresignedUpload> {
    // The SDK adds the bucket, the key and its own signing fields to the conditions; ours come as they are.
    const form = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: conditions,
      Expires: expiresSeconds,
    });
    return { url: form.url, fields: form.fields };
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        // Shown in a browser from a signed link: never sniffed as anything but the image it is.
        ContentDisposition: 'inline',
        ServerSideEncryption: 'AES256',
      }),
    );
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that is not there: deleting twice (a redelivered event) is no error.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async signedGetUrl(key: string, expiresSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresSeconds,
      signingDate: this.now(),
    });
  }
}
