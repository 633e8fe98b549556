// Use case: check a photo that arrived under uploads/ (S3's event, or the local upload route). Apart from the upload
// form so only the photo check function carries the image decoders.
import type { ComplaintPhoto } from '#domain/complaint';
import { checkPhoto } from '#domain/photo-check';
import { copyKey, type PhotoDeps, updateComplaint } from './complaint-photos.ts';

/** uploads/<complaint id>/<photo id>: both ids ours (random), so nothing the uploader names reaches a key. */
const UPLOAD_KEY = /^uploads\/([^/]{1,64})\/([^/]{1,64})$/;

export type PhotoCheckOutcome =
  | { outcome: 'ready'; complaintId: string; photoId: string; contentType: string }
  | { outcome: 'rejected'; complaintId: string; photoId: string; reason: string }
  /** Checked before (the event came again): the upload is removed if it is still there. */
  | { outcome: 'already-checked'; complaintId: string; photoId: string }
  /** No photo waits at this key: deleted unseen. */
  | { outcome: 'unexpected'; key: string }
  /** Nothing at the key any more (an earlier delivery deleted it). */
  | { outcome: 'gone'; key: string };

/**
 * An object arrived under uploads/ (S3's event, or the local upload route): check its bytes, keep a clean copy
 * under photos/, record the photo ready or rejected on the complaint, and delete the upload in every case. Safe to
 * run again for the same key: the copy is rewritten the same, and a photo already recorded is left as it is.
 */
export async function checkUploadedPhoto(deps: PhotoDeps, key: string): Promise<PhotoCheckOutcome> {
  const match = UPLOAD_KEY.exec(key);
  const [complaintId, photoId] = match ? [match[1] ?? '', match[2] ?? ''] : ['', ''];
  const complaint = match ? await deps.complaints.get(complaintId) : undefined;
  const photo = complaint?.photos.find((p) => p.id === photoId);
  if (!photo) {
    await deps.photoBucket.delete(key);
    return { outcome: 'unexpected', key };
  }
  if (photo.status !== 'awaiting-upload') {
    await deps.photoBucket.delete(key);
    return { outcome: 'already-checked', complaintId, photoId };
  }
  const bytes = await deps.photoBucket.read(key);
  if (!bytes) return { outcome: 'gone', key };

  const limits = deps.config.complaints.photos;
  const check =
    bytes.length > limits.maxBytes
      ? ({ ok: false, reason: 'too-large', detail: `More than ${limits.maxBytes} bytes.` } as const)
      : await checkPhoto(bytes, { maxSide: limits.maxSide });
  if (check.ok) await deps.photoBucket.put(copyKey(complaintId, photoId), check.copy, 'image/jpeg');

  const checkedAt = deps.clock.now().toISOString();
  const result: ComplaintPhoto = check.ok
    ? {
        ...photo,
        status: 'ready',
        checkedAt,
        contentType: check.contentType,
        bytes: bytes.length,
        width: check.width,
        height: check.height,
      }
    : { ...photo, status: 'rejected', checkedAt, bytes: bytes.length, reason: check.reason };
  await updateComplaint(deps, complaintId, (current) => {
    const stored = current.photos.find((p) => p.id === photoId);
    // Another delivery of the same event recorded it meanwhile.
    if (stored?.status !== 'awaiting-upload') return undefined;
    return {
      ...current,
      photos: current.photos.map((p) => (p.id === photoId ? result : p)),
      history: [
        ...current.history,
        {
          at: checkedAt,
          by: { kind: 'system' },
          action: 'photo',
          note: check.ok
            ? `Photo ${photoId} checked: ${check.contentType}, shown as a ${check.width} x ${check.height} copy.`
            : `Photo ${photoId} refused (${check.reason}): ${check.detail}`,
        },
      ],
    };
  });
  await deps.photoBucket.delete(key);
  return check.ok
    ? { outcome: 'ready', complaintId, photoId, contentType: check.contentType }
    : { outcome: 'rejected', complaintId, photoId, reason: check.reason };
}
