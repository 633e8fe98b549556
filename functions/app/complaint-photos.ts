// Use cases of complaint photos: hand out an upload form and show staff the checked copy (the check is beside it).
import { randomUUID } from 'node:crypto';
import { type Complaint, type ComplaintPhoto, isOpen } from '#domain/complaint';
import { AppError, ConflictError, NotFoundError, UnavailableError } from '#domain/errors';
import { ACCEPTED_PHOTO_TYPES } from '#domain/photo-format';
import { canSeeDistrict, type StaffPrincipal } from '#domain/staff';
import type { Deps, UploadCondition } from './ports.ts';

/** Where uploads land, unchecked; nothing there is ever shown. */
export const PHOTO_UPLOAD_PREFIX = 'uploads/';
/** Where the checked copies are kept. */
export const PHOTO_COPY_PREFIX = 'photos/';
/** How long a staff member's link to a photo works: long enough to open it, too short to pass around. */
export const PHOTO_VIEW_SECONDS = 300;
/**
 * How long after its form expired a photo still waits for its upload: S3 checks the expiry when the upload starts,
 * so a slow upload begun in time finishes later, and its event comes later still.
 */
const UPLOAD_GRACE_SECONDS = 15 * 60;
/** Writers that lost an optimistic race read again this many times before giving up (a 503, tried again). */
const UPDATE_ATTEMPTS = 4;

export type PhotoDeps = Pick<Deps, 'config' | 'clock' | 'complaints' | 'photoBucket'>;

export const uploadKey = (complaintId: string, photoId: string) =>
  `${PHOTO_UPLOAD_PREFIX}${complaintId}/${photoId}`;
export const copyKey = (complaintId: string, photoId: string) =>
  `${PHOTO_COPY_PREFIX}${complaintId}/${photoId}.jpg`;

export interface PhotoUploadForm {
  photoId: string;
  /** POST a multipart/form-data form here: every field below, then the file as the last part, named "file". */
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
  /** What the file must really be; the bytes are checked after the upload, whatever the form declared. */
  acceptedTypes: readonly string[];
}

/**
 * The conditions of the upload form. Content-Type must start with "image/" rather than equal one of the three
 * types: a POST policy cannot say "one of", browsers label HEIC variously (image/heic, image/heif), and the label
 * proves nothing anyway; the bytes are what is checked. S3 keeps the key, the size and the expiry to the letter.
 */
export function photoUploadConditions(key: string, maxBytes: number): UploadCondition[] {
  return [{ key }, ['content-length-range', 1, maxBytes], ['starts-with', '$Content-Type', 'image/']];
}

/** How many forms a complaint may ask for in all, per photo it may keep. */
const ATTEMPTS_PER_PLACE = 3;

/** Photos that take a place: checked ones, and those whose form can still be (or is being) used. */
function countsTowardsLimit(photo: ComplaintPhoto, now: number, uploadSeconds: number): boolean {
  if (photo.status === 'ready') return true;
  if (photo.status === 'rejected') return false;
  return Date.parse(photo.requestedAt) + (uploadSeconds + UPLOAD_GRACE_SECONDS) * 1000 > now;
}

/** POST /complaints/{id}/photos: a form to upload one photo of the complaint with, for a few minutes. */
export async function requestPhotoUpload(deps: PhotoDeps, complaintId: string): Promise<PhotoUploadForm> {
  const limits = deps.config.complaints.photos;
  const photoId = randomUUID();
  const now = deps.clock.now();
  await updateComplaint(deps, complaintId, (complaint) => {
    if (!isOpen(complaint.status) || complaint.mergedInto) {
      throw new ConflictError(
        'complaint-closed',
        complaint.mergedInto
          ? `This complaint was merged into ${complaint.mergedInto}: add photos there.`
          : `This complaint is ${complaint.status}: it takes no more photos.`,
      );
    }
    const taken = complaint.photos.filter((p) => countsTowardsLimit(p, now.getTime(), limits.uploadSeconds));
    // Refused and expired forms free their place, but every one stays on the record: past this many in all, no
    // more forms, so a loop of junk uploads cannot grow the complaint towards DynamoDB's 400 KB item limit.
    if (
      taken.length >= limits.maxPerComplaint ||
      complaint.photos.length >= limits.maxPerComplaint * ATTEMPTS_PER_PLACE
    ) {
      throw new AppError(
        'conflict',
        'too-many-photos',
        `A complaint takes at most ${limits.maxPerComplaint} photos (counting uploads under way).`,
        { maxPerComplaint: limits.maxPerComplaint },
      );
    }
    return {
      ...complaint,
      photos: [
        ...complaint.photos,
        { id: photoId, status: 'awaiting-upload', requestedAt: now.toISOString() },
      ],
    };
  });
  const key = uploadKey(complaintId, photoId);
  const form = await deps.photoBucket.presign(
    key,
    photoUploadConditions(key, limits.maxBytes),
    limits.uploadSeconds,
  );
  return {
    photoId,
    url: form.url,
    fields: form.fields,
    expiresAt: new Date(now.getTime() + limits.uploadSeconds * 1000).toISOString(),
    maxBytes: limits.maxBytes,
    acceptedTypes: ACCEPTED_PHOTO_TYPES,
  };
}

export interface PhotoView {
  photoId: string;
  /** The checked copy (a JPEG without metadata), never the upload. */
  url: string;
  expiresAt: string;
  contentType: 'image/jpeg';
  width?: number;
  height?: number;
}

/**
 * GET /admin/complaints/{id}/photos/{photoId}: a short-lived link to a ready photo's checked copy. Another
 * district's complaint is as absent to a clerk as one that does not exist (as the other admin routes answer).
 */
export async function viewComplaintPhoto(
  deps: PhotoDeps,
  staff: StaffPrincipal,
  complaintId: string,
  photoId: string,
): Promise<PhotoView> {
  const complaint = await deps.complaints.get(complaintId);
  if (!complaint || !canSeeDistrict(staff, complaint.district)) {
    throw new NotFoundError('complaint-not-found', `There is no complaint ${complaintId}.`);
  }
  const photo = complaint.photos.find((p) => p.id === photoId);
  if (photo?.status !== 'ready') {
    throw new NotFoundError(
      'photo-not-found',
      photo
        ? `Photo ${photoId} is ${photo.status}: only checked photos are shown.`
        : `Complaint ${complaintId} has no photo ${photoId}.`,
    );
  }
  const url = await deps.photoBucket.signedGetUrl(copyKey(complaintId, photoId), PHOTO_VIEW_SECONDS);
  return {
    photoId,
    url,
    expiresAt: new Date(deps.clock.now().getTime() + PHOTO_VIEW_SECONDS * 1000).toISOString(),
    contentType: 'image/jpeg',
    width: photo.width,
    height: photo.height,
  };
}

/**
 * Reads the complaint, applies `change` and writes it if nothing changed it meanwhile, reading again after a lost
 * race. `change` answers undefined when there is nothing (left) to do; it may throw to refuse.
 */
export async function updateComplaint(
  deps: Pick<Deps, 'clock' | 'complaints'>,
  complaintId: string,
  change: (complaint: Complaint) => Complaint | undefined,
): Promise<void> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const complaint = await deps.complaints.get(complaintId);
    if (!complaint) throw new NotFoundError('complaint-not-found', `There is no complaint ${complaintId}.`);
    const next = change(complaint);
    if (!next) return;
    const written = await deps.complaints.update([
      {
        complaint: { ...next, updatedAt: deps.clock.now().toISOString(), version: complaint.version + 1 },
        expectedVersion: complaint.version,
      },
    ]);
    if (written) return;
  }
  throw new UnavailableError(
    'complaint-busy',
    `Complaint ${complaintId} is being changed by others right now; try again.`,
    1,
  );
}
