// What an uploaded file's bytes say it is (never its name or declared type), and its size from the header alone.

/** The image types a complaint photo may be; anything else is refused whatever it claims to be. */
export const ACCEPTED_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/heic'] as const;
export type PhotoType = (typeof ACCEPTED_PHOTO_TYPES)[number];

export interface PhotoHeader {
  type: PhotoType;
  /** From the header, before any decoding; absent for HEIC, whose size sits deep in its boxes (the decoder reads it). */
  width?: number;
  height?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * HEIF brands coded with HEVC, which is what phones write. `mif1`/`msf1` alone only say "some HEIF": AVIF files
 * carry them too, so those count only when a compatible brand names HEVC.
 */
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx']);
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1']);

/** The accepted type the bytes start like, with the header's size where it has one; undefined for anything else. */
export function sniffPhoto(bytes: Uint8Array): PhotoHeader | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { type: 'image/jpeg', ...jpegSize(bytes) };
  }
  if (
    bytes.length >= 24 &&
    PNG_SIGNATURE.every((b, i) => bytes[i] === b) &&
    ascii(bytes, 12, 16) === 'IHDR'
  ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { type: 'image/png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (isHevcHeif(bytes)) return { type: 'image/heic' };
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The ftyp box that opens every ISO media file: its major brand and compatible brands. */
function isHevcHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxEnd = Math.min(view.getUint32(0), bytes.length);
  const major = ascii(bytes, 8, 12);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxEnd; at += 4) compatible.push(ascii(bytes, at, at + 4));
  if (HEVC_BRANDS.has(major)) return true;
  return GENERIC_HEIF_BRANDS.has(major) && compatible.some((brand) => HEVC_BRANDS.has(brand));
}

/** Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic) do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Walks the segments before the image data to the frame header; nothing when the header is cut or missing. */
function jpegSize(bytes: Uint8Array): { width?: number; height?: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return {};
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = view.getUint16(at + 2);
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) return {};
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xda || length < 2) return {};
    at += 2 + length;
  }
  return {};
}

/**
 * The EXIF orientation (1-8) of a JPEG, so the copy can be turned upright before the metadata that says how is
 * dropped; 1 (as stored) when there is none. Phones store portraits sideways and rely on this tag.
 */
export function jpegOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1] ?? 0;
    const length = view.getUint16(at + 2);
    if (marker === 0xda || length < 2) break;
    if (marker === 0xe1 && ascii(bytes, at + 4, at + 10) === 'Exif\0\0') {
      return tiffOrientation(view, at + 10, Math.min(at + 2 + length, bytes.length)) ?? 1;
    }
    at += 2 + length;
  }
  return 1;
}

/** Tag 0x0112 of the first IFD of the TIFF structure inside an Exif segment. */
function tiffOrientation(view: DataView, tiff: number, end: number): number | undefined {
  if (tiff + 8 > end) return undefined;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return undefined;
  const little = order === 0x4949;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return undefined;
  const entries = view.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}
