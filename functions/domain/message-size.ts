// How big an outbound text is in the terms its carriers bill and refuse by: EUC-KR bytes in Korea, GSM-7/UCS-2 parts elsewhere.
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
 * Characters Korean carriers cannot carry: anything outside KS X 1001 (EUC-KR proper). Korean SMS networks garble
 * the 8,822 Hangul syllables only Microsoft's CP949 extension has (똠, 햏, 쀍), and have no byte at all for emoji,
 * ₩ or no-break spaces: each makes a text not fit rather than go out damaged.
 */
export function eucKrUnencodable(text: string): string[] {
  return eucKr(text).unencodable;
}

let ksx1001: Set<string> | undefined;

/**
 * The 8,000-odd characters of KS X 1001: every double-byte code with lead and trail in 0xA1-0xFE, decoded once by
 * the runtime's own EUC-KR decoder (ICU, in every Node build Lambda runs). Restricting to those bytes leaves out
 * CP949's extension, which the WHATWG decoder also reads. No encoding library (and its megabyte of tables) needed.
 */
function ksx1001Characters(): Set<string> {
  if (!ksx1001) {
    const decoder = new TextDecoder('euc-kr', { fatal: true });
    const found = new Set<string>();
    for (let lead = 0xa1; lead <= 0xfe; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        try {
          const char = decoder.decode(Uint8Array.of(lead, trail));
          if (char.length > 0 && char !== '\ufffd') found.add(char);
        } catch {
          // Unassigned in KS X 1001.
        }
      }
    }
    ksx1001 = found;
  }
  return ksx1001;
}

function eucKr(text: string): { bytes: number; unencodable: string[] } {
  const table = ksx1001Characters();
  let bytes = 0;
  const unencodable = new Set<string>();
  for (const char of text) {
    if ((char.codePointAt(0) ?? 0) < 0x80) bytes += 1;
    else if (table.has(char)) bytes += 2;
    else {
      // Counted as the one byte a carrier's "?" would take: such a text does not fit anyway.
      bytes += 1;
      unencodable.add(char);
    }
  }
  return { bytes, unencodable: [...unencodable] };
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

/**
 * The largest size a message of this encoding may have and still be sent, in the unit its scheme counts: EUC-KR
 * bytes of an LMS in Korea; elsewhere characters over `maxParts` parts, within the provider's character cap.
 */
export function sizeLimit(
  size: Pick<MessageSize, 'scheme' | 'encoding'>,
  maxParts: number = DEFAULT_MAX_PARTS,
): { unit: 'bytes' | 'characters'; limit: number } {
  if (size.scheme === 'korean') return { unit: 'bytes', limit: KOREAN_LMS_BYTES };
  const ucs2 = size.encoding === 'UCS-2';
  // A single part carries a little more than each part of a split message (which spends some on the header).
  const perPart = maxParts === 1 ? (ucs2 ? 70 : 160) : ucs2 ? 67 : 153;
  return {
    unit: 'characters',
    limit: Math.min(maxParts * perPart, MAX_CHARACTERS[ucs2 ? 'UCS-2' : 'GSM-7']),
  };
}
