// Complaint photos on DynamoDB Local and the local photo folder: upload forms, the check of what arrives, and the
// staff view of the checked copy.
import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalPhotoBucket } from '#adapters/local/local-photo-bucket';
import { checkUploadedPhoto } from '#app/complaint-photo-check';
import { copyKey, requestPhotoUpload, uploadKey, viewComplaintPhoto } from '#app/complaint-photos';
import { fileComplaint } from '#app/complaints';
import type { Complaint } from '#domain/complaint';
import type { StaffPrincipal } from '#domain/staff';
import { route as requestPhotoRoute } from '#handlers/http/request-complaint-photo';
import { fixturePath } from '../fixtures/photos/make-fixtures.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { call, problemType } from '../support/http.ts';

let world: TestWorld;
const photo = (name: string) => readFileSync(fixturePath(name));
const bucket = () => world.deps.photoBucket as LocalPhotoBucket;

async function fileLeak(): Promise<Complaint> {
  const { complaint } = await fileComplaint(
    world.deps,
    {
      type: 'leak',
      description: '길가 하수구 옆에서 물이 계속 솟아 나옵니다.',
      districtCode: '11110',
      location: { lat: 37.5735, long: 126.979 },
      contactConsent: false,
      attributes: { where: 'outdoors' },
      // Every test files leaks at the same spot: they are meant as separate complaints.
      confirmDuplicates: true,
    },
    { client: '198.51.100.7', channel: 'api' },
  );
  return complaint;
}

/** What S3 does on a form upload that meets the policy: the object lands under its key. */
async function uploaded(complaintId: string, photoId: string, bytes: Buffer): Promise<string> {
  const key = uploadKey(complaintId, photoId);
  await world.deps.photoBucket.put(key, bytes, 'image/jpeg');
  return key;
}

async function stored(id: string): Promise<Complaint> {
  const complaint = await world.deps.complaints.get(id);
  if (!complaint) throw new Error(`no complaint ${id}`);
  return complaint;
}

async function setStored(id: string, change: Partial<Complaint>): Promise<void> {
  const complaint = await stored(id);
  await world.deps.complaints.update([
    {
      complaint: { ...complaint, ...change, version: complaint.version + 1 },
      expectedVersion: complaint.version,
    },
  ]);
}

const clerk = (district: string): StaffPrincipal => ({
  subject: `clerk-${district}`,
  roles: ['staff'],
  districts: [district],
  allDistricts: false,
});

beforeEach(async () => {
  world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
});

describe('asking for a photo upload form', () => {
  it('gives a five-minute form for one object under uploads/<complaint>/<photo>, and notes the photo as awaited', async () => {
    // The resident who just filed a leak wants to add a photo of it.
    const complaint = await fileLeak();

    const form = await requestPhotoUpload(world.deps, complaint.id);

    expect(form).toMatchObject({
      expiresAt: '2026-12-01T01:05:00.000Z',
      maxBytes: 10 * 1024 * 1024,
      acceptedTypes: ['image/jpeg', 'image/png', 'image/heic'],
    });
    expect(form.fields.key).toBe(`uploads/${complaint.id}/${form.photoId}`);
    const policy = JSON.parse(Buffer.from(form.fields.policy ?? '', 'base64').toString('utf8'));
    expect(policy).toEqual({
      expiration: '2026-12-01T01:05:00.000Z',
      conditions: [
        { key: form.fields.key },
        ['content-length-range', 1, 10 * 1024 * 1024],
        ['starts-with', '$Content-Type', 'image/'],
      ],
    });
    expect((await stored(complaint.id)).photos).toEqual([
      { id: form.photoId, status: 'awaiting-upload', requestedAt: '2026-12-01T01:00:00.000Z' },
    ]);
  });

  it('answers 404 for a complaint that does not exist', async () => {
    await expect(
      requestPhotoUpload(world.deps, '00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({
      kind: 'not-found',
      type: 'complaint-not-found',
    });
  });

  it('refuses photos for a resolved or rejected complaint, and for one merged into another (409)', async () => {
    // The leak was fixed yesterday; the resident's photo of it would reach nobody.
    const resolved = await fileLeak();
    await setStored(resolved.id, { status: 'resolved' });
    await expect(requestPhotoUpload(world.deps, resolved.id)).rejects.toMatchObject({
      kind: 'conflict',
      type: 'complaint-closed',
    });
    const merged = await fileLeak();
    await setStored(merged.id, { mergedInto: 'ABCD2345' });
    await expect(requestPhotoUpload(world.deps, merged.id)).rejects.toMatchObject({
      kind: 'conflict',
      type: 'complaint-closed',
      message: expect.stringContaining('ABCD2345'),
    });
    expect((await stored(merged.id)).photos).toEqual([]);
  });

  it('gives at most five, counting uploads under way; a refused photo or a form long expired frees its place', async () => {
    // A resident taps "add photo" six times in a row.
    const complaint = await fileLeak();
    const forms = [];
    for (let i = 0; i < 5; i++) forms.push(await requestPhotoUpload(world.deps, complaint.id));
    await expect(requestPhotoUpload(world.deps, complaint.id)).rejects.toMatchObject({
      kind: 'conflict',
      type: 'too-many-photos',
    });

    // One upload turns out to be a text file: refused, and its place is free again.
    await checkUploadedPhoto(
      world.deps,
      await uploaded(complaint.id, forms[0]?.photoId ?? '', photo('not-a-photo.jpg')),
    );
    await requestPhotoUpload(world.deps, complaint.id);
    await expect(requestPhotoUpload(world.deps, complaint.id)).rejects.toMatchObject({
      type: 'too-many-photos',
    });

    // Twenty minutes on, the forms nobody used have expired (with the grace for slow uploads) and count no more.
    world.clock.advance(20 * 60 * 1000);
    expect((await requestPhotoUpload(world.deps, complaint.id)).photoId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('forms asked for again and again', () => {
  it('stops at three forms per place, refused ones included, so junk uploads cannot grow the record', async () => {
    // Someone loops "ask for a form, upload junk, refused" to bloat one complaint: after 15 forms, no more.
    const complaint = await fileLeak();
    for (let i = 0; i < 15; i++) {
      const form = await requestPhotoUpload(world.deps, complaint.id);
      await checkUploadedPhoto(
        world.deps,
        await uploaded(complaint.id, form.photoId, photo('not-a-photo.jpg')),
      );
    }
    await expect(requestPhotoUpload(world.deps, complaint.id)).rejects.toMatchObject({
      kind: 'conflict',
      type: 'too-many-photos',
    });
    expect((await stored(complaint.id))?.photos).toHaveLength(15);
  });
});

describe('checking what arrives under uploads/', () => {
  it('keeps a clean copy of a real photo, marks it ready with its facts, and deletes the upload', async () => {
    // The resident's phone photo carries where it was taken; the copy staff see must not.
    const complaint = await fileLeak();
    const { photoId } = await requestPhotoUpload(world.deps, complaint.id);
    const key = await uploaded(complaint.id, photoId, photo('leak-with-gps.jpg'));
    world.clock.advance(60_000);

    const outcome = await checkUploadedPhoto(world.deps, key);

    expect(outcome).toEqual({
      outcome: 'ready',
      complaintId: complaint.id,
      photoId,
      contentType: 'image/jpeg',
    });
    const after = await stored(complaint.id);
    expect(after.photos).toEqual([
      {
        id: photoId,
        status: 'ready',
        requestedAt: '2026-12-01T01:00:00.000Z',
        checkedAt: '2026-12-01T01:01:00.000Z',
        contentType: 'image/jpeg',
        bytes: photo('leak-with-gps.jpg').length,
        width: 800,
        height: 600,
      },
    ]);
    expect(after.history.at(-1)).toMatchObject({ action: 'photo', by: { kind: 'system' } });
    const copy = await bucket().read(copyKey(complaint.id, photoId));
    expect(copy && (await exifr.parse(copy))).toBeUndefined();
    expect(await bucket().read(key)).toBeUndefined();
  });

  it('refuses a text file named .jpg: rejected with the reason, no copy, the upload deleted', async () => {
    const complaint = await fileLeak();
    const { photoId } = await requestPhotoUpload(world.deps, complaint.id);
    const key = await uploaded(complaint.id, photoId, photo('not-a-photo.jpg'));

    expect(await checkUploadedPhoto(world.deps, key)).toMatchObject({
      outcome: 'rejected',
      reason: 'not-an-image',
    });

    expect((await stored(complaint.id)).photos[0]).toMatchObject({
      status: 'rejected',
      reason: 'not-an-image',
    });
    expect(await bucket().read(key)).toBeUndefined();
    expect(await bucket().read(copyKey(complaint.id, photoId))).toBeUndefined();
  });

  it('is the same when S3 delivers the event again: the photo stays as recorded, nothing is checked twice', async () => {
    // S3 events come at least once: the second delivery finds the photo checked and the upload gone.
    const complaint = await fileLeak();
    const { photoId } = await requestPhotoUpload(world.deps, complaint.id);
    const key = await uploaded(complaint.id, photoId, photo('leak-with-gps.jpg'));
    await checkUploadedPhoto(world.deps, key);
    const first = await stored(complaint.id);

    expect(await checkUploadedPhoto(world.deps, key)).toEqual({
      outcome: 'already-checked',
      complaintId: complaint.id,
      photoId,
    });
    expect(await stored(complaint.id)).toEqual(first);
  });

  it('records two photos checked at the same moment, whichever write loses the race reading again', async () => {
    // Two photos of one complaint uploaded together: two functions update the same complaint at once.
    const complaint = await fileLeak();
    const a = await requestPhotoUpload(world.deps, complaint.id);
    const b = await requestPhotoUpload(world.deps, complaint.id);
    const keys = await Promise.all([
      uploaded(complaint.id, a.photoId, photo('leak-with-gps.jpg')),
      uploaded(complaint.id, b.photoId, photo('pipe.png')),
    ]);

    await Promise.all(keys.map((key) => checkUploadedPhoto(world.deps, key)));

    const photos = (await stored(complaint.id)).photos;
    expect(photos.map((p) => [p.id, p.status, p.contentType])).toEqual([
      [a.photoId, 'ready', 'image/jpeg'],
      [b.photoId, 'ready', 'image/png'],
    ]);
  });

  it('deletes, unseen, an object whose key names no awaited photo', async () => {
    // Someone with a form for one key cannot upload elsewhere (the policy pins the key), but stray objects are
    // removed all the same: under uploads/ nothing stays.
    const complaint = await fileLeak();
    const stray = await uploaded(complaint.id, 'not-a-photo-we-gave', photo('leak-with-gps.jpg'));
    expect(await checkUploadedPhoto(world.deps, stray)).toEqual({ outcome: 'unexpected', key: stray });
    expect(await bucket().read(stray)).toBeUndefined();
    expect((await stored(complaint.id)).photos).toEqual([]);
  });
});

describe('staff viewing a photo', () => {
  it('gives the district clerk a short-lived link to the clean copy, and another district nothing (404)', async () => {
    const complaint = await fileLeak();
    const { photoId } = await requestPhotoUpload(world.deps, complaint.id);
    await checkUploadedPhoto(world.deps, await uploaded(complaint.id, photoId, photo('leak-with-gps.jpg')));

    const view = await viewComplaintPhoto(world.deps, clerk('11110'), complaint.id, photoId);

    expect(view).toMatchObject({
      photoId,
      contentType: 'image/jpeg',
      width: 800,
      height: 600,
      expiresAt: '2026-12-01T01:05:00.000Z',
    });
    expect(view.url).toContain(`/_local/photo-bucket/photos/${complaint.id}/${photoId}.jpg?expires=`);
    await expect(viewComplaintPhoto(world.deps, clerk('11140'), complaint.id, photoId)).rejects.toMatchObject(
      {
        kind: 'not-found',
        type: 'complaint-not-found',
      },
    );
  });

  it('shows no photo that is not checked yet or was refused', async () => {
    const complaint = await fileLeak();
    const { photoId } = await requestPhotoUpload(world.deps, complaint.id);
    await expect(viewComplaintPhoto(world.deps, clerk('11110'), complaint.id, photoId)).rejects.toMatchObject(
      {
        kind: 'not-found',
        type: 'photo-not-found',
      },
    );
  });
});

describe('POST /complaints/{id}/photos', () => {
  const post = (id: string) =>
    call(requestPhotoRoute, world.deps, {
      method: 'POST',
      path: `/complaints/${id}/photos`,
      routePath: '/complaints/{id}/photos',
      pathParameters: { id },
    });

  it('answers 201 with the form, 400 for an id that is no UUID, 404 for an unknown one, 409 when closed', async () => {
    // A resident's app posts with the id it was given, a mistyped one, one of a deleted test, and a closed one.
    const complaint = await fileLeak();
    const created = await post(complaint.id);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ maxBytes: 10 * 1024 * 1024, fields: { key: expect.any(String) } });

    expect((await post('ABCD2345')).json.type).toBe(problemType('validation-error'));
    const unknown = await post('00000000-0000-4000-8000-000000000000');
    expect([unknown.status, unknown.json.type]).toEqual([404, problemType('complaint-not-found')]);
    await setStored(complaint.id, { status: 'rejected' });
    const closed = await post(complaint.id);
    expect([closed.status, closed.json.type]).toEqual([409, problemType('complaint-closed')]);
  });
});
