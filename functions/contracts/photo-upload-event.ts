// The photo upload queue's message contract: S3's event notification for an object created under uploads/ of the
// photo bucket (S3 is the producer; the PhotoCheck consumer reads it here), and S3's test event, which names none.
import { z } from 'zod';

/** The fields of an S3 event notification this app reads (event structure version 2.x). */
const S3_OBJECT_CREATED = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:s3'),
        eventName: z.string().startsWith('ObjectCreated:'),
        s3: z.object({
          object: z.object({
            /** URL-encoded, with "+" for a space. */
            key: z.string().min(1),
            size: z.number().int().min(0).optional(),
          }),
        }),
      }),
    )
    .min(1),
});

/** Sent once when the notification is set up: nothing to check. */
const S3_TEST_EVENT = z.object({ Event: z.literal('s3:TestEvent') });

/** The message is not an S3 event this queue should carry: it goes to the dead-letter queue for a person. */
class UnreadablePhotoUploadEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadablePhotoUploadEvent';
  }
}

/** The object keys an S3 event names, decoded (none for S3's test event). */
export function readPhotoUploadEvent(body: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnreadablePhotoUploadEvent('The message is not JSON');
  }
  if (S3_TEST_EVENT.safeParse(json).success) return [];
  const parsed = S3_OBJECT_CREATED.safeParse(json);
  if (!parsed.success) {
    throw new UnreadablePhotoUploadEvent(
      `The message is no S3 ObjectCreated event: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data.Records.map(({ s3 }) => decodeURIComponent(s3.object.key.replace(/\+/g, ' ')));
}
