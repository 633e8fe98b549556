// npm start's complaint photos over HTTP on 127.0.0.1: file a leak, get an upload form, post the photo to it as a
// browser would, and see it checked, stripped of its GPS position, and shown to the district's staff only.
import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';
import { fixturePath } from '../fixtures/photos/make-fixtures.ts';

let runtime: Runtime;

async function post(path: string, body: unknown, token?: string) {
  const response = await fetch(`${runtime.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function get(path: string, token: string) {
  const response = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const staffToken = async (districts: string[]) =>
  String((await post('/_local/staff-token', { role: 'staff', districts })).json.token);

/** The form as a browser posts it: every field the server gave, the declared type, then the file last. */
async function upload(form: { url: string; fields: Record<string, string> }, file: Buffer, type: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('Content-Type', type);
  body.append('file', new Blob([file], { type }), 'photo.jpg');
  return fetch(form.url, { method: 'POST', body });
}

async function fileLeakWithForm() {
  const filed = await post('/complaints', {
    type: 'leak',
    description: '길가 하수구 옆에서 물이 계속 솟아 나옵니다.',
    districtCode: '11110',
    location: { lat: 37.5735, long: 126.979 },
    attributes: { where: 'outdoors' },
    confirmDuplicates: true,
  });
  const id = String(filed.json.id);
  const form = await post(`/complaints/${id}/photos`, {});
  expect(form.status).toBe(201);
  return { id, form: form.json as { photoId: string; url: string; fields: Record<string, string> } };
}

beforeAll(async () => {
  runtime = await startRuntime({
    config: loadUtilityConfig('seoul-water'),
    clock: startingClock(new Date('2026-12-01T01:00:00Z')),
    port: 0,
    dynamo: { endpoint: inject('dynamoEndpoint'), tableName: `e2e-photos-${Date.now()}` },
    demoAccounts: 20,
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('a photo of a leak, through the local runtime', () => {
  it('is uploaded with the form, checked, and shown to the district clerk as a copy without its GPS position', async () => {
    // A resident in Jongno files a leak and adds the photo their phone took, GPS position and all.
    const { id, form } = await fileLeakWithForm();
    expect(form.url).toBe(`${runtime.url}/_local/photo-uploads`);

    const uploaded = await upload(form, readFileSync(fixturePath('leak-with-gps.jpg')), 'image/jpeg');

    expect(uploaded.status).toBe(204);
    expect(uploaded.headers.get('x-local-photo-check')).toBe('ready');
    const complaint = await runtime.deps.complaints.get(id);
    expect(complaint?.photos).toEqual([expect.objectContaining({ id: form.photoId, status: 'ready' })]);

    const view = await get(`/admin/complaints/${id}/photos/${form.photoId}`, await staffToken(['11110']));
    expect(view.status).toBe(200);
    const image = await fetch(String(view.json.url));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const copy = Buffer.from(await image.arrayBuffer());
    expect(await exifr.gps(readFileSync(fixturePath('leak-with-gps.jpg')))).toBeDefined();
    expect(await exifr.parse(copy)).toBeUndefined();

    // The clerk of another district does not see it at all.
    const other = await get(`/admin/complaints/${id}/photos/${form.photoId}`, await staffToken(['11140']));
    expect(other.status).toBe(404);
  });

  it('refuses a text file named .jpg that declared itself a JPEG: rejected, and nothing left in the bucket', async () => {
    // A form is used to upload something that is not a photo at all; the declared type is no proof.
    const { id, form } = await fileLeakWithForm();

    const uploaded = await upload(form, readFileSync(fixturePath('not-a-photo.jpg')), 'image/jpeg');

    expect(uploaded.headers.get('x-local-photo-check')).toBe('rejected');
    const complaint = await runtime.deps.complaints.get(id);
    expect(complaint?.photos).toEqual([
      expect.objectContaining({ id: form.photoId, status: 'rejected', reason: 'not-an-image' }),
    ]);
    expect(await runtime.photoBucket.read(form.fields.key ?? '')).toBeUndefined();
    const view = await get(`/admin/complaints/${id}/photos/${form.photoId}`, await staffToken(['11110']));
    expect(view.status).toBe(404);
  });

  it('enforces the form as S3 does: another key, a non-image type or an expired form are refused (403)', async () => {
    const { form } = await fileLeakWithForm();
    const photo = readFileSync(fixturePath('leak-with-gps.jpg'));

    const elsewhere = await upload(
      { ...form, fields: { ...form.fields, key: 'photos/mine.jpg' } },
      photo,
      'image/jpeg',
    );
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as { detail: string }).detail).toContain('$key');
    expect((await upload(form, photo, 'text/html')).status).toBe(403);

    // Six minutes on, the five-minute form has expired.
    await post('/_local/clock', { now: '2026-12-01T01:06:00Z' });
    const late = await upload(form, photo, 'image/jpeg');
    expect(late.status).toBe(403);
    expect(((await late.json()) as { detail: string }).detail).toContain('expired');
  });
});
