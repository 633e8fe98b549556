import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { checkPhoto } from '#domain/photo-check';
import { jpegOrientation, sniffPhoto } from '#domain/photo-format';
import { boundedSize } from '#domain/photo-resize';
import {
  FIXTURE_GPS,
  fixturePath,
  jpegWithExif,
  photoFixtures,
  testPixels,
} from '../fixtures/photos/make-fixtures.ts';

const fixture = (name: string) => readFileSync(fixturePath(name));
const LIMITS = { maxSide: 320 };

/** The pixel at (x, y) of a JPEG, as RGB. */
function pixelAt(bytes: Buffer, x: number, y: number): number[] {
  const image = jpeg.decode(bytes, { useTArray: true });
  const at = (y * image.width + x) * 4;
  return [image.data[at] ?? 0, image.data[at + 1] ?? 0, image.data[at + 2] ?? 0];
}

describe('telling what an upload is from its bytes', () => {
  it('knows JPEG, PNG and HEVC-coded HEIF by their first bytes, with the size the header declares', () => {
    expect(sniffPhoto(fixture('leak-with-gps.jpg'))).toEqual({ type: 'image/jpeg', width: 800, height: 600 });
    expect(sniffPhoto(fixture('pipe.png'))).toEqual({ type: 'image/png', width: 300, height: 200 });
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypmif1\0\0\0\0mif1heic')]);
    expect(sniffPhoto(heic)).toEqual({ type: 'image/heic' });
  });

  it('does not take a name, a text file, or an AVIF (a HEIF of another codec) for an accepted photo', () => {
    expect(sniffPhoto(fixture('not-a-photo.jpg'))).toBeUndefined();
    expect(sniffPhoto(Buffer.alloc(0))).toBeUndefined();
    const avif = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypavif\0\0\0\0mif1avif')]);
    expect(sniffPhoto(avif)).toBeUndefined();
  });

  it('reads the EXIF orientation a phone writes, and 1 where there is none', () => {
    const sideways = jpegWithExif(testPixels(16, 8), { orientation: 6 });
    expect(jpegOrientation(sideways)).toBe(6);
    expect(jpegOrientation(jpeg.encode(testPixels(16, 8)).data)).toBe(1);
  });
});

describe('checking an uploaded photo and making the copy that is shown', () => {
  it('drops the GPS position a phone photo carries: exifr finds it in the upload and nothing in the copy', async () => {
    // A resident photographs a leak outside their home; the photo must not tell staff viewers where they live.
    const upload = fixture('leak-with-gps.jpg');
    expect(await exifr.gps(upload)).toEqual({
      latitude: expect.closeTo(37.5665, 4),
      longitude: expect.closeTo(126.97825, 4),
    });
    const result = await checkPhoto(upload, LIMITS);
    if (!result.ok) throw new Error(result.detail);
    expect(result.contentType).toBe('image/jpeg');
    expect(await exifr.parse(result.copy)).toBeUndefined();
    expect(result.copy.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(result.copy.includes(Buffer.from('UtilityDeskTestCam'))).toBe(false);
  });

  it('shrinks the copy so its longest side is at most maxSide, keeping the proportions, and re-encodes it as JPEG', async () => {
    const result = await checkPhoto(fixture('leak-with-gps.jpg'), LIMITS);
    if (!result.ok) throw new Error(result.detail);
    expect({ width: result.width, height: result.height }).toEqual({ width: 320, height: 240 });
    expect(sniffPhoto(result.copy)).toEqual({ type: 'image/jpeg', width: 320, height: 240 });
    expect(result.copy.length).toBeLessThan(fixture('leak-with-gps.jpg').length);
  });

  it('never enlarges a small photo', () => {
    expect(boundedSize(300, 200, 1600)).toEqual({ width: 300, height: 200 });
    expect(boundedSize(4032, 3024, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(boundedSize(3024, 4032, 1600)).toEqual({ width: 1200, height: 1600 });
  });

  it('accepts a PNG and shows its transparent part white, as JPEG has no transparency', async () => {
    const result = await checkPhoto(fixture('pipe.png'), LIMITS);
    if (!result.ok) throw new Error(result.detail);
    expect(result).toMatchObject({ contentType: 'image/png', width: 300, height: 200 });
    const [r, g, b] = pixelAt(result.copy, 250, 100);
    expect(Math.min(r ?? 0, g ?? 0, b ?? 0)).toBeGreaterThan(240);
  });

  it('turns a portrait upright before the orientation tag that says how is dropped', async () => {
    // A phone held upright stores the picture sideways (orientation 6): the dark bar on the stored left edge is
    // the top of the picture as the resident saw it.
    const sideways = jpegWithExif(testPixels(80, 40), { orientation: 6 });
    const result = await checkPhoto(sideways, LIMITS);
    if (!result.ok) throw new Error(result.detail);
    expect({ width: result.width, height: result.height }).toEqual({ width: 40, height: 80 });
    expect(Math.max(...pixelAt(result.copy, 20, 2))).toBeLessThan(60);
    expect(Math.max(...pixelAt(result.copy, 20, 77))).toBeGreaterThan(100);
  });

  it('refuses a text file named .jpg as not an image', async () => {
    expect(await checkPhoto(fixture('not-a-photo.jpg'), LIMITS)).toMatchObject({
      ok: false,
      reason: 'not-an-image',
    });
  });

  it('refuses a JPEG cut off half-way, and a JPEG header followed by garbage, as unreadable', async () => {
    expect(await checkPhoto(fixture('truncated.jpg'), LIMITS)).toMatchObject({
      ok: false,
      reason: 'unreadable',
    });
    const garbage = Buffer.concat([
      fixture('leak-with-gps.jpg').subarray(0, 700),
      Buffer.alloc(30_000, 0x41),
    ]);
    expect(await checkPhoto(garbage, LIMITS)).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(await checkPhoto(Buffer.from([0xff, 0xd8, 0xff]), LIMITS)).toMatchObject({
      ok: false,
      reason: 'unreadable',
    });
  });

  it('refuses a HEIC header followed by garbage as unreadable', async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      Buffer.alloc(2000, 7),
    ]);
    expect(await checkPhoto(heic, LIMITS)).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('refuses a picture above the megapixel bound from its header, before decoding it', async () => {
    // A small file can declare a huge picture (a "decompression bomb"); the header is read before any memory is spent.
    const png = new pngjs.PNG({ width: 1, height: 1 });
    const huge = Buffer.from(pngjs.PNG.sync.write(png));
    huge.writeUInt32BE(10_000, 16);
    huge.writeUInt32BE(8_000, 20);
    expect(await checkPhoto(huge, LIMITS)).toMatchObject({ ok: false, reason: 'too-many-pixels' });
    const small = fixture('leak-with-gps.jpg');
    expect(await checkPhoto(small, { maxSide: 320, maxMegapixels: 0.4 })).toMatchObject({
      ok: false,
      reason: 'too-many-pixels',
    });
  });
});

describe('the photo fixtures', () => {
  it('are what test/fixtures/photos/make-fixtures.ts makes', () => {
    for (const [name, bytes] of Object.entries(photoFixtures()))
      expect(fixture(name).equals(bytes), name).toBe(true);
    expect(FIXTURE_GPS.latitude[0]).toBe(37);
  });
});
