// The local photo bucket enforces an upload form's policy as S3 does, so what works locally works against S3.
import { describe, expect, it } from 'vitest';
import { meetsPolicy } from '#adapters/local/local-photo-bucket';
import { photoUploadConditions } from '#app/complaint-photos';

const KEY = 'uploads/c/p';
const conditions = photoUploadConditions(KEY, 1000);
const form = { key: KEY, policy: 'p', 'x-local-signature': 's', 'Content-Type': 'image/png' };

describe('the local form policy', () => {
  it('takes a form that meets every condition, the type field named in any case', () => {
    expect(meetsPolicy(conditions, form, 500)).toBeUndefined();
    const { 'Content-Type': type, ...rest } = form;
    expect(meetsPolicy(conditions, { ...rest, 'content-type': type }, 500)).toBeUndefined();
  });

  it('refuses a file over maxBytes or an empty one (400), as S3 answers EntityTooLarge and EntityTooSmall', () => {
    // A phone's 14 MB panorama, and a form sent without choosing a file.
    expect(meetsPolicy(conditions, form, 1001)).toMatchObject({ status: 400, code: 'entity-too-large' });
    expect(meetsPolicy(conditions, form, 0)).toMatchObject({ status: 400, code: 'entity-too-small' });
  });

  it('refuses another key, a type that is not image/, a missing type, and a field no condition names (403)', () => {
    expect(meetsPolicy(conditions, { ...form, key: 'uploads/c/other' }, 500)).toMatchObject({ status: 403 });
    expect(meetsPolicy(conditions, { ...form, 'Content-Type': 'text/html' }, 500)).toMatchObject({
      status: 403,
    });
    const { 'Content-Type': _type, ...untyped } = form;
    expect(meetsPolicy(conditions, untyped, 500)).toMatchObject({ status: 403 });
    expect(meetsPolicy(conditions, { ...form, acl: 'public-read' }, 500)).toMatchObject({
      status: 403,
      message: expect.stringContaining('Extra input fields: acl'),
    });
  });
});
