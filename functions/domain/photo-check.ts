// The check every uploaded photo goes through before anyone sees it: the bytes must decode fully as an accepted
// image type, and what is kept is a re-encoded copy (no metadata, no GPS) of bounded size.
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { jpegOrientation, type PhotoType, sniffPhoto } from './photo-format.ts';
import { type Pixels, uprightBoundedCopy } from './photo-resize.ts';

/** Larger than any phone camera's photo: refused before decoding, since decoding is what costs the memory. */
export const MAX_PHOTO_MEGAPIXELS = 50;
/** jpeg-js's own cap on what one decode may allocate (50 MP of RGBA is 200 MB). */
const MAX_DECODE_MEMORY_MB = 512;
/** Looks the same as the upload at a fraction of its bytes. */
export const COPY_JPEG_QUALITY = 82;

export type PhotoRefusal = 'not-an-image' | 'too-many-pixels' | 'unreadable';

export type PhotoCheck =
  | {
      ok: true;
      /** What the bytes are, whatever the upload declared. */
      contentType: PhotoType;
      /** The copy that is shown: always a JPEG. */
      copy: Buffer;
      /** The copy's size in pixels, upright. */
      width: number;
      height: number;
    }
  | { ok: false; reason: PhotoRefusal; detail: string };

export interface PhotoCheckLimits {
  /** The longest side of the copy. */
  maxSide: number;
  maxMegapixels?: number;
}

const refuse = (reason: PhotoRefusal, detail: string): PhotoCheck => ({ ok: false, reason, detail });

/** Checks the bytes of an upload and makes the copy that may be shown; never throws on bad bytes. */
export async function checkPhoto(bytes: Uint8Array, limits: PhotoCheckLimits): Promise<PhotoCheck> {
  const maxMegapixels = limits.maxMegapixels ?? MAX_PHOTO_MEGAPIXELS;
  const header = sniffPhoto(bytes);
  if (!header) return refuse('not-an-image', 'The file is not a JPEG, PNG or HEIC image.');
  if (header.type !== 'image/heic' && (header.width === undefined || header.height === undefined))
    return refuse('unreadable', `The ${header.type} header is cut short or damaged.`);
  const tooBig = (width: number, height: number) => (width * height) / 1_000_000 > maxMegapixels;
  if (header.width !== undefined && header.height !== undefined && tooBig(header.width, header.height))
    return refuse(
      'too-many-pixels',
      `${header.width} x ${header.height} is more than ${maxMegapixels} megapixels.`,
    );

  let pixels: Pixels;
  let orientation = 1;
  try {
    if (header.type === 'image/jpeg') {
      pixels = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        // The default (tolerant) fills a cut-off file with grey and calls it an image.
        tolerantDecoding: false,
        maxResolutionInMP: maxMegapixels,
        maxMemoryUsageInMB: MAX_DECODE_MEMORY_MB,
      });
      orientation = jpegOrientation(bytes);
    } else if (header.type === 'image/png') {
      pixels = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else {
      // Loaded on the first HEIC only: libheif is 2 MB of JavaScript that a JPEG or PNG never needs.
      const { default: decodeHeic } = await import('heic-decode');
      const images = await decodeHeic.all({ buffer: bytes });
      try {
        const primary = images[0];
        if (!primary) return refuse('unreadable', 'The HEIC file holds no image.');
        if (tooBig(primary.width, primary.height))
          return refuse(
            'too-many-pixels',
            `${primary.width} x ${primary.height} is more than ${maxMegapixels} megapixels.`,
          );
        // libheif applies the file's rotation and mirroring itself while decoding.
        pixels = await primary.decode();
      } finally {
        images.dispose();
      }
    }
  } catch (error) {
    return refuse('unreadable', `The ${header.type} data does not decode: ${describe(error)}`);
  }
  if (pixels.width < 1 || pixels.height < 1 || pixels.data.length < pixels.width * pixels.height * 4)
    return refuse('unreadable', `The ${header.type} data decodes to no picture.`);

  const shown = uprightBoundedCopy(pixels, orientation, limits.maxSide);
  // Encoding from bare pixels is what strips the metadata: jpeg-js writes only the picture (and a JFIF header).
  const copy = jpeg.encode(shown, COPY_JPEG_QUALITY).data;
  return { ok: true, contentType: header.type, copy, width: shown.width, height: shown.height };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
