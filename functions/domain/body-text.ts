// A request body's text by the charset its Content-Type declares: JSON as UTF-8, a form's bytes in its charset.
import { TextDecoder } from 'node:util';
import { parse as parseContentType } from 'content-type';
import { AppError } from './errors.ts';

/**
 * Names Korean systems use for Windows-949 that the WHATWG Encoding Standard does not list; it reads that
 * code page as EUC-KR (whose labels include windows-949 and ks_c_5601-1987). Node's EUC-KR decoder is
 * KS X 1001 alone, though: see C1_CONTROLS for the extended syllables only Windows-949 has.
 */
const ALIASES = new Map([
  ['cp949', 'euc-kr'],
  ['ms949', 'euc-kr'],
  ['x-windows-949', 'euc-kr'],
  ['uhc', 'euc-kr'],
]);

/**
 * Encodings in which the bytes of '&', '=', '+' or '%' can be part of another character, so a form in
 * them cannot be split before it is decoded ("replacement" is the WHATWG stand-in for unsafe ones).
 */
const NOT_ASCII_COMPATIBLE = new Set(['utf-16le', 'utf-16be', 'iso-2022-jp', 'replacement']);

/** The charset parameter of a Content-Type header, as written; undefined when there is none. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const charset = parseContentType(contentType).parameters.charset?.trim();
  return charset ? charset : undefined;
}

function unsupported(charset: string): AppError {
  return new AppError(
    'unsupported-media-type',
    'unsupported-charset',
    `The charset "${charset}" is not one this service can read; send UTF-8, or a charset such as windows-1251 or euc-kr.`,
    { charset },
  );
}

/**
 * A strict decoder for a charset label (WHATWG names, plus the Windows-949 aliases): 415
 * unsupported-charset when the label is unknown, the runtime lacks it (Node without full ICU) or a form
 * could not be split in it.
 */
function decoderFor(charset: string): TextDecoder {
  const label = charset.toLowerCase();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(ALIASES.get(label) ?? label, { fatal: true });
  } catch {
    throw unsupported(charset);
  }
  if (NOT_ASCII_COMPATIBLE.has(decoder.encoding)) throw unsupported(charset);
  return decoder;
}

/**
 * Node's decoders (ICU) read bytes 0x80-0x9F as C1 control characters where a code page has no character:
 * the lead bytes of Windows-949's extended Hangul (똠 is 8C 63) in EUC-KR, 0x98 in windows-1251. No phone
 * sends those controls, so text holding one was misread, and is refused rather than passed on mangled.
 */
const C1_CONTROLS = /[\u0080-\u009f]/;

function decode(decoder: TextDecoder, bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes);
    return decoder.encoding !== 'utf-8' && C1_CONTROLS.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * The text of a JSON body, which is UTF-8 (RFC 8259): a declared charset other than UTF-8 is a 415.
 * Undefined when the bytes are not UTF-8.
 */
export function jsonText(bytes: Uint8Array, contentType: string | undefined): string | undefined {
  const charset = declaredCharset(contentType);
  if (charset !== undefined && decoderFor(charset).encoding !== 'utf-8') throw unsupported(charset);
  return decode(new TextDecoder('utf-8', { fatal: true }), bytes);
}

const PLUS = 0x2b;
const PERCENT = 0x25;
const SPACE = 0x20;

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return undefined;
}

/** '+' as a space and "%XX" as the byte XX, as application/x-www-form-urlencoded writes them; a stray '%' stays. */
function unescapeFormBytes(part: Uint8Array): Uint8Array {
  const out = new Uint8Array(part.length);
  let length = 0;
  for (let i = 0; i < part.length; i++) {
    const byte = part[i] as number;
    const high = byte === PERCENT ? hexValue(part[i + 1]) : undefined;
    const low = high === undefined ? undefined : hexValue(part[i + 2]);
    if (high !== undefined && low !== undefined) {
      out[length++] = high * 16 + low;
      i += 2;
    } else {
      out[length++] = byte === PLUS ? SPACE : byte;
    }
  }
  return out.subarray(0, length);
}

/** Splits bytes at every occurrence of one byte value. */
function splitAt(bytes: Uint8Array, separator: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === separator) {
      parts.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

/**
 * The fields of an application/x-www-form-urlencoded body, the first value of each name. The body is
 * split and unescaped as bytes (percent-escapes and raw 8-bit bytes alike), and only then decoded in the
 * declared charset (UTF-8 when none is declared), as the WHATWG URL standard's form parser does for UTF-8.
 * Undefined when a name or value is not valid in that charset.
 */
export function formFields(
  bytes: Uint8Array,
  contentType: string | undefined,
): Map<string, string> | undefined {
  const decoder = decoderFor(declaredCharset(contentType) ?? 'utf-8');
  const fields = new Map<string, string>();
  for (const pair of splitAt(bytes, 0x26 /* & */)) {
    if (pair.length === 0) continue;
    const equals = pair.indexOf(0x3d /* = */);
    const name = decode(decoder, unescapeFormBytes(equals < 0 ? pair : pair.subarray(0, equals)));
    const value = decode(
      decoder,
      unescapeFormBytes(equals < 0 ? new Uint8Array() : pair.subarray(equals + 1)),
    );
    if (name === undefined || value === undefined) return undefined;
    if (!fields.has(name)) fields.set(name, value);
  }
  return fields;
}
