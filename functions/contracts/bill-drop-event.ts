// The bill drop queue's message contract: S3's event notification for an object created under bills/incoming/
// (S3 is the producer; the BillDrop consumer reads it here), and S3's test event, which names no object.
import { z } from 'zod';
import type { BillDrop } from '#app/ports';

/** How a drop's version is named when the event carries no version id (a bucket without versioning). */
export const ETAG_VERSION = 'etag:';

/** The fields of an S3 event notification this app reads (event structure version 2.x). */
const S3_OBJECT_CREATED = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:s3'),
        eventName: z.string().startsWith('ObjectCreated:'),
        s3: z.object({
          bucket: z.object({ name: z.string().min(1) }),
          object: z.object({
            /** URL-encoded, with "+" for a space. */
            key: z.string().min(1),
            eTag: z.string().min(1),
            versionId: z.string().min(1).optional(),
          }),
        }),
      }),
    )
    .min(1),
});

/** Sent once when the notification is set up: nothing to import. */
const S3_TEST_EVENT = z.object({ Event: z.literal('s3:TestEvent') });

/** The message is not an S3 event this queue should carry: it goes to the dead-letter queue for a person. */
class UnreadableBillDropEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableBillDropEvent';
  }
}

/** The drops an S3 event names (none for S3's test event). */
export function readBillDropEvent(body: string): BillDrop[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnreadableBillDropEvent('The message is not JSON');
  }
  if (S3_TEST_EVENT.safeParse(json).success) return [];
  const parsed = S3_OBJECT_CREATED.safeParse(json);
  if (!parsed.success) {
    throw new UnreadableBillDropEvent(
      `The message is no S3 ObjectCreated event: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data.Records.map(({ s3 }) => ({
    key: decodeURIComponent(s3.object.key.replace(/\+/g, ' ')),
    version: s3.object.versionId ?? `${ETAG_VERSION}${s3.object.eTag}`,
  }));
}
