// ReadingExports in the billing exchange bucket: each window's accepted readings as readings/<period>.csv.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReadingExports } from '#app/ports';
import type { Period } from '#domain/period';

/** The object key of a window's export, where the utility's billing system reads it. */
export const readingExportKey = (period: Period) => `readings/${period}.csv`;

export class S3ReadingExports implements ReadingExports {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(period: Period, csv: string): Promise<{ location: string }> {
    const key = readingExportKey(period);
    // The bucket's versioning keeps an earlier export of the same window, should the utility want to compare.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: csv,
        ContentType: 'text/csv; charset=utf-8',
        ServerSideEncryption: 'AES256',
      }),
    );
    return { location: `s3://${this.bucket}/${key}` };
  }
}
