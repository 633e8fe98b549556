// BillDropFiles in the billing exchange bucket: bills/incoming/ read, bills/rejects/ written, bills/processed/ moved to.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { dropName } from '#app/bill-drop';
import type { BillDrop, BillDropFiles } from '#app/ports';
import { ETAG_VERSION } from '#contracts/bill-drop-event';

/** Gone: no such key or version (moved already), or the object at the key is another one than the event named. */
function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    ['NoSuchKey', 'NoSuchVersion', 'NotFound', 'PreconditionFailed'].includes(e.name ?? '') ||
    e.$metadata?.httpStatusCode === 404 ||
    e.$metadata?.httpStatusCode === 412
  );
}

/** S3's CopySource: the bucket and the URL-encoded key (slashes kept), then the version. */
function copySource(bucket: string, key: string, versionId: string | undefined): string {
  const path = `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  return versionId ? `${path}?versionId=${encodeURIComponent(versionId)}` : path;
}

export class S3BillDropFiles implements BillDropFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async read(drop: BillDrop): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: drop.key, ...this.which(drop) }),
      );
      if (!object.Body) return undefined;
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  async putRejects(drop: BillDrop, csv: string): Promise<string> {
    const key = `bills/rejects/${dropName(drop.key)}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: csv,
        ContentType: 'text/csv; charset=utf-8',
        ServerSideEncryption: 'AES256',
      }),
    );
    return `s3://${this.bucket}/${key}`;
  }

  async archive(drop: BillDrop): Promise<void> {
    const versionId = this.versionId(drop);
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: `bills/processed/${dropName(drop.key)}`,
          CopySource: copySource(this.bucket, drop.key, versionId),
          ...(versionId ? {} : { CopySourceIfMatch: drop.version.slice(ETAG_VERSION.length) }),
          ServerSideEncryption: 'AES256',
        }),
      );
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
    // With a version id this deletes that version for good (a move, not a delete marker left in incoming/).
    await this.client.send(
      new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: drop.key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  }

  private versionId(drop: BillDrop): string | undefined {
    return drop.version.startsWith(ETAG_VERSION) ? undefined : drop.version;
  }

  private which(drop: BillDrop): { VersionId: string } | { IfMatch: string } {
    const versionId = this.versionId(drop);
    return versionId ? { VersionId: versionId } : { IfMatch: drop.version.slice(ETAG_VERSION.length) };
  }
}
