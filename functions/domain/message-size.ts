// How big an outbound text is in the terms its carriers bill and refuse by: EUC-KR bytes in Korea, GSM-7/UCS-2 parts elsewhere.
import iconv from 'iconv-lite';
import { SegmentedMessage } from 'sms-segments-calculator';

export interface MessageSize {
  /** Korean carriers count EUC-KR bytes (SMS/LMS); everyone else counts GSM 03.40 message parts. */
  scheme: 'korean' | 'gsm';
  encoding: 'EUC-KR' | 'GSM-7' | 'UCS-2';
  /**
   * Characters as the encoding counts them against its limits: GSM-7 septets (an escaped character such as `{` or
   * `€` counts 2), UCS-2 code units (an emoji counts 2), EUC-KR code points.
   */
  characters: number;
  /** Bytes on the air: EUC-KR bytes; GSM-7 septets packed into octets; UCS-2 two per code unit. */
  bytes: number;
  parts: number;
  type: 'SMS' | 'LMS';
  /** Whether the text can be sent as it is: every character encodable and within the size limits. */
  fits: boolean;
  /** Characters the encoding cannot carry (EUC-KR only; GSM falls back to UCS-2), each once, in order of appearance. */
  unencodable: string[];
}

export interface MessageSizeOptions {
  /** Most parts a GSM/UCS-2 message may take (default 10: End User Messaging's longest message). */
  maxParts?: number;
}

/** Korean SMS carries up to 90 EUC-KR bytes; past that it is an LMS, up to 2,000. */
export const KOREAN_SMS_BYTES = 90;
export const KOREAN_LMS_BYTES = 2000;

/**
 * End User Messaging refuses a message over 1,530 GSM-7 characters or 630 others ("SMS character limits" in its
 * user guide): ten parts of 153 GSM-7 characters, and fewer than ten full UCS-2 parts. The parts cap is the
 * configurable one; the character caps are that provider's and apply whatever the cap.
 */
export const DEFAULT_MAX_PARTS = 10;
const MAX_CHARACTERS = { 'GSM-7': 1530, 'UCS-2': 630 } as const;

/** The size of `text` sent to a phone in `country` (ISO 3166 alpha-2). */
export function messageSize(text: string, country: string, options: MessageSizeOptions = {}): MessageSize {
  return country === 'KR' ? koreanSize(text) : gsmSize(text, options.maxParts ?? DEFAULT_MAX_PARTS);
}

/**
 * Characters Korean carriers cannot carry: anything outside KS X 1001 (EUC-KR). iconv-lite's `euc-kr` is an alias
 * of its `cp949` table (the WHATWG Encoding Standard's choice), so it encodes the 8,822 Hangul syllables that only
 * Microsoft's CP949 extension has (똠, 햏, 쀍) without complaint; Korean SMS networks use EUC-KR proper, where they
 * turn into garbage on the handset. It also replaces what it cannot encode at all (emoji, ₩, no-break spaces)
 * with `?` silently. Both are caught here instead.
 */
export function eucKrUnencodable(text: string): string[] {
  return eucKr(text).unencodable;
}

function eucKr(text: string): { bytes: number; unencodable: string[] } {
  const bytes = iconv.encode(text, 'cp949');
  if (iconv.decode(bytes, 'cp949') === text && !hasCp949Extension(bytes)) {
    return { bytes: bytes.length, unencodable: [] };
  }
  const found = new Set<string>();
  for (const char of text) {
    const encoded = iconv.encode(char, 'cp949');
    if (iconv.decode(encoded, 'cp949') !== char || hasCp949Extension(encoded)) found.add(char);
  }
  // An unencodable character counts as iconv-lite's one-byte "?" here; such a text does not fit anyway.
  return { bytes: bytes.length, unencodable: [...found] };
}

/** A double-byte pair outside EUC-KR's 0xA1-0xFE lead and trail ranges is one of CP949's additions. */
function hasCp949Extension(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i] as number;
    if (lead < 0x80) continue;
    const trail = bytes[i + 1] ?? 0;
    if (lead < 0xa1 || trail < 0xa1) return true;
    i++;
  }
  return false;
}

function koreanSize(text: string): MessageSize {
  const { bytes, unencodable } = eucKr(text);
  const type = bytes <= KOREAN_SMS_BYTES ? 'SMS' : 'LMS';
  return {
    scheme: 'korean',
    encoding: 'EUC-KR',
    characters: [...text].length,
    bytes,
    parts: 1,
    type,
    fits: text.length > 0 && unencodable.length === 0 && bytes <= KOREAN_LMS_BYTES,
    unencodable,
  };
}

function gsmSize(text: string, maxParts: number): MessageSize {
  const message = new SegmentedMessage(text);
  const encoding = message.encodingName;
  // The library counts UCS-2 characters as graphemes; carriers (and End User Messaging's caps) count code units.
  const characters = encoding === 'GSM-7' ? message.numberOfCharacters : message.messageSize / 16;
  const parts = message.segmentsCount;
  return {
    scheme: 'gsm',
    encoding,
    characters,
    bytes: Math.ceil(message.messageSize / 8),
    parts,
    type: 'SMS',
    fits: text.length > 0 && parts <= maxParts && characters <= MAX_CHARACTERS[encoding],
    unencodable: [],
  };
}
