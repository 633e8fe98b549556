import { describe, expect, it } from 'vitest';
import { eucKrUnencodable, messageSize, sizeLimit } from '#domain/message-size';

const size = (text: string, country: string) => {
  const { encoding, characters, bytes, parts, type, fits } = messageSize(text, country);
  return { encoding, characters, bytes, parts, type, fits };
};

describe('message size in Korea: EUC-KR bytes, SMS up to 90, LMS up to 2,000', () => {
  it('counts a Hangul syllable as 2 bytes: 45 fit an SMS, the 46th makes it an LMS', () => {
    expect(size('가'.repeat(45), 'KR')).toEqual({
      encoding: 'EUC-KR',
      characters: 45,
      bytes: 90,
      parts: 1,
      type: 'SMS',
      fits: true,
    });
    expect(size('가'.repeat(46), 'KR')).toMatchObject({ bytes: 92, type: 'LMS', parts: 1, fits: true });
  });

  it('counts ASCII as 1 byte, so 90 letters are still an SMS', () => {
    expect(size('a'.repeat(90), 'KR')).toMatchObject({ bytes: 90, type: 'SMS' });
    expect(size('a'.repeat(91), 'KR')).toMatchObject({ bytes: 91, type: 'LMS' });
  });

  it('counts mixed ASCII and Hangul byte by byte', () => {
    // 17 characters: two brackets (2 bytes), 서울 (4), two spaces (2), 수도요금 (8), "24,600" (6), 원 (2) = 24 bytes.
    expect(size('[서울] 수도요금 24,600원', 'KR')).toMatchObject({ characters: 17, bytes: 24, type: 'SMS' });
    // 44 syllables (88 bytes) and two ASCII characters: exactly 90.
    expect(size(`${'나'.repeat(44)}ab`, 'KR')).toMatchObject({ bytes: 90, type: 'SMS' });
    expect(size(`${'나'.repeat(44)}abc`, 'KR')).toMatchObject({ bytes: 91, type: 'LMS' });
  });

  it('takes the symbols Korean bills use (㎥, ★, ·, ※, ▶) at 2 bytes each', () => {
    expect(size('㎥★·※▶', 'KR')).toMatchObject({ bytes: 10, fits: true });
  });

  it('refuses a text over 2,000 bytes instead of calling it an LMS that fits', () => {
    expect(size('가'.repeat(1000), 'KR')).toMatchObject({ bytes: 2000, type: 'LMS', fits: true });
    expect(size('가'.repeat(1001), 'KR')).toMatchObject({ bytes: 2002, type: 'LMS', fits: false });
  });

  it('does not fit what EUC-KR cannot carry, where an encoder would send "?" in its place', () => {
    // An emoji, the won sign, a no-break space and an em dash: none is in EUC-KR.
    for (const char of ['😀', '₩', '\u00a0', '—']) {
      const result = messageSize(`요금 ${char} 안내`, 'KR');
      expect(result.fits).toBe(false);
      expect(result.unencodable).toEqual([char]);
    }
  });

  it('does not fit the Hangul only CP949 has (똠, 햏, 쀍): Korean SMS networks speak EUC-KR proper', () => {
    // A resident named 김똠이 would get "김?이" or garbage on a handset that decodes EUC-KR.
    expect(eucKrUnencodable('김똠이 햏 쀍 가')).toEqual(['똠', '햏', '쀍']);
    expect(messageSize('김똠이', 'KR').fits).toBe(false);
  });

  it('reports each unencodable character once, in order', () => {
    expect(eucKrUnencodable('😀a😀₩b₩')).toEqual(['😀', '₩']);
    expect(eucKrUnencodable('모두 됩니다: abc 123 ㎥')).toEqual([]);
  });

  it('does not fit an empty text', () => {
    expect(messageSize('', 'KR').fits).toBe(false);
    expect(messageSize('', 'RU').fits).toBe(false);
  });
});

describe('message size elsewhere: GSM-7 and UCS-2 parts (sms-segments-calculator)', () => {
  it('fits 160 GSM-7 characters in one part; the 161st splits it into parts of 153', () => {
    expect(size('a'.repeat(160), 'RU')).toEqual({
      encoding: 'GSM-7',
      characters: 160,
      bytes: 140,
      parts: 1,
      type: 'SMS',
      fits: true,
    });
    expect(size('a'.repeat(161), 'RU')).toMatchObject({ parts: 2 });
    expect(size('a'.repeat(306), 'RU')).toMatchObject({ parts: 2 });
    expect(size('a'.repeat(307), 'RU')).toMatchObject({ parts: 3 });
  });

  it('counts an escaped character (^{}[]~|€ and backslash) as 2 and never splits the pair', () => {
    expect(size('{'.repeat(80), 'RU')).toMatchObject({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(size('{'.repeat(81), 'RU')).toMatchObject({ characters: 162, parts: 2 });
    expect(size('€', 'RU')).toMatchObject({ characters: 2 });
    // 152 letters and a € would be 154 septets in a part of 153: the pair moves whole to the second part.
    expect(size(`${'a'.repeat(152)}€${'a'.repeat(7)}`, 'RU')).toMatchObject({ characters: 161, parts: 2 });
    expect(size(`${'a'.repeat(152)}€${'a'.repeat(153)}`, 'RU')).toMatchObject({ characters: 307, parts: 3 });
  });

  it('fits 70 UCS-2 characters (Cyrillic) in one part; the 71st splits it into parts of 67', () => {
    expect(size('я'.repeat(70), 'RU')).toEqual({
      encoding: 'UCS-2',
      characters: 70,
      bytes: 140,
      parts: 1,
      type: 'SMS',
      fits: true,
    });
    expect(size('я'.repeat(71), 'RU')).toMatchObject({ parts: 2 });
    expect(size('я'.repeat(134), 'RU')).toMatchObject({ parts: 2 });
    expect(size('я'.repeat(135), 'RU')).toMatchObject({ parts: 3 });
  });

  it('turns a whole text into UCS-2 for one character outside GSM-7', () => {
    expect(size(`${'a'.repeat(69)}ж`, 'RU')).toMatchObject({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(size(`${'a'.repeat(70)}ж`, 'RU')).toMatchObject({ encoding: 'UCS-2', parts: 2 });
  });

  it('counts Hangul sent outside Korea as UCS-2', () => {
    expect(size('가'.repeat(70), 'RU')).toMatchObject({ encoding: 'UCS-2', parts: 1 });
  });

  it('counts an emoji as two UCS-2 characters', () => {
    expect(size('😀'.repeat(35), 'RU')).toMatchObject({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(size('😀'.repeat(36), 'RU')).toMatchObject({ characters: 72, parts: 2 });
  });

  it('fits up to 10 parts by default, and fewer when the caller caps them', () => {
    expect(size('a'.repeat(1530), 'RU')).toMatchObject({ parts: 10, fits: true });
    expect(size('a'.repeat(1531), 'RU')).toMatchObject({ parts: 11, fits: false });
    expect(messageSize('a'.repeat(307), 'RU', { maxParts: 2 }).fits).toBe(false);
    expect(messageSize('a'.repeat(306), 'RU', { maxParts: 2 }).fits).toBe(true);
  });

  it("does not fit more than End User Messaging's 630 UCS-2 characters, although that is under 10 parts", () => {
    expect(size('я'.repeat(630), 'RU')).toMatchObject({ parts: 10, fits: true });
    expect(size('я'.repeat(631), 'RU')).toMatchObject({ parts: 10, fits: false });
  });
});

describe('the size limit a composer shows', () => {
  // Staff see "size / limit" beside each language: the limit must be exactly where `fits` turns false.
  it('is the last size that fits, in the unit its scheme counts', () => {
    for (const [text, country, maxParts] of [
      ['가'.repeat(1000), 'KR', 10],
      ['a'.repeat(1530), 'RU', 10],
      ['я'.repeat(630), 'RU', 10],
      ['я'.repeat(201), 'RU', 3],
      ['a'.repeat(160), 'RU', 1],
      ['я'.repeat(70), 'RU', 1],
    ] as const) {
      const fitting = messageSize(text, country, { maxParts });
      const { unit, limit } = sizeLimit(fitting, maxParts);
      expect([fitting.fits, unit === 'bytes' ? fitting.bytes : fitting.characters], text).toEqual([
        true,
        limit,
      ]);
      const extra = country === 'KR' ? 'a' : text.slice(0, 1);
      expect(messageSize(text + extra, country, { maxParts }).fits, `${text} + 1`).toBe(false);
    }
  });
});
