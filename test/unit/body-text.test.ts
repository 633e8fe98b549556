// A webhook body's text: the declared charset of a form, percent-escapes as bytes, JSON as UTF-8, and 415 for what cannot be read.
import { describe, expect, it } from 'vitest';
import { declaredCharset, formFields, jsonText } from '#domain/body-text';

const FORM = 'application/x-www-form-urlencoded';
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
// СТОП in windows-1251 and in KOI8-R; 중지 in EUC-KR, and 똠 (8C 63), a syllable only Windows-949 has.
const STOP_1251 = [0xd1, 0xd2, 0xce, 0xcf];
const STOP_KOI8 = [0xf3, 0xf4, 0xef, 0xf0];
const STOP_EUC_KR = [0xc1, 0xdf, 0xc1, 0xf6];
const DDOM_CP949 = [0x8c, 0x63];
const escaped = (values: number[]) => values.map((b) => `%${b.toString(16)}`).join('');

describe('the charset a Content-Type declares', () => {
  it.each([
    [`${FORM}; charset=windows-1251`, 'windows-1251'],
    [`${FORM};charset="EUC-KR"`, 'EUC-KR'],
    [`${FORM} ; Charset=utf-8 ; q=1`, 'utf-8'],
    [FORM, undefined],
    [`${FORM}; charset=`, undefined],
    [undefined, undefined],
  ])('of %s is %s', (header, charset) => {
    expect(declaredCharset(header)).toBe(charset);
  });
});

describe('a form body', () => {
  it.each([
    ['windows-1251, percent-escaped', 'windows-1251', bytes('message=', escaped(STOP_1251))],
    ['windows-1251, as raw bytes', 'windows-1251', bytes('message=', STOP_1251)],
    ['cp1251, another name for it', 'cp1251', bytes('message=', escaped(STOP_1251))],
    ['KOI8-R', 'koi8-r', bytes('message=', escaped(STOP_KOI8))],
    ['UTF-8', 'utf-8', bytes('message=', escaped([...Buffer.from('СТОП')]))],
  ])('in %s reads СТОП', (_, charset, body) => {
    expect(formFields(body, `${FORM}; charset=${charset}`)?.get('message')).toBe('СТОП');
  });

  it.each([
    ['euc-kr', '중지', STOP_EUC_KR],
    ['ks_c_5601-1987', '중지', STOP_EUC_KR],
    ['cp949', '중지', STOP_EUC_KR],
  ])('in %s reads %s, percent-escaped or raw', (charset, text, code) => {
    expect(formFields(bytes('msg=', escaped(code)), `${FORM}; charset=${charset}`)?.get('msg')).toBe(text);
    expect(formFields(bytes('msg=', code), `${FORM}; charset=${charset}`)?.get('msg')).toBe(text);
  });

  it('in EUC-KR is refused, not misread, when it holds a syllable only Windows-949 has', () => {
    // Node's EUC-KR decoder is KS X 1001 alone: it would read 똠 (8C 63) as a control character and "c".
    expect(formFields(bytes('msg=', escaped(DDOM_CP949)), `${FORM}; charset=euc-kr`)).toBeUndefined();
    expect(formFields(bytes('msg=', DDOM_CP949), `${FORM}; charset=ms949`)).toBeUndefined();
  });

  it('is UTF-8 when no charset is declared', () => {
    expect(formFields(bytes('message=', escaped([...Buffer.from('중지')])), FORM)?.get('message')).toBe(
      '중지',
    );
    expect(formFields(Buffer.from('message=중지'), undefined)?.get('message')).toBe('중지');
  });

  it('reads + as a space, keeps a stray %, takes the first of repeated names and skips empty pairs', () => {
    const fields = formFields(Buffer.from('a=1+2%2B3&&b=100%&b=second&c&d=%zz%4'), FORM);
    expect(Object.fromEntries(fields ?? [])).toEqual({ a: '1 2+3', b: '100%', c: '', d: '%zz%4' });
  });

  it('decodes escaped separators inside a value as text, not as separators', () => {
    expect(Object.fromEntries(formFields(Buffer.from('m=a%26b%3Dc'), FORM) ?? [])).toEqual({ m: 'a&b=c' });
  });

  it('is undefined when its bytes are not valid in the declared charset (or in UTF-8 by default)', () => {
    expect(formFields(bytes('message=', escaped(STOP_1251)), FORM)).toBeUndefined();
    expect(formFields(bytes('message=', [0xc1]), `${FORM}; charset=euc-kr`)).toBeUndefined();
  });

  it.each(['x-cyrillic-dos', 'utf-16le', 'UTF-16', 'iso-2022-jp', 'iso-2022-kr', 'constructor'])(
    'in %s is refused with 415 unsupported-charset, naming it',
    (charset) => {
      expect(() => formFields(Buffer.from('a=1'), `${FORM}; charset=${charset}`)).toThrow(
        expect.objectContaining({
          kind: 'unsupported-media-type',
          type: 'unsupported-charset',
          extensions: { charset },
        }),
      );
    },
  );
});

describe('a JSON body', () => {
  it('is UTF-8, with or without a charset of that name, a leading BOM dropped', () => {
    const json = '{"text":"중지"}';
    expect(jsonText(Buffer.from(json), 'application/json')).toBe(json);
    expect(jsonText(Buffer.from(json), 'application/json; charset=UTF-8')).toBe(json);
    expect(jsonText(Buffer.from(json), 'application/json; charset=utf8')).toBe(json);
    expect(jsonText(bytes([0xef, 0xbb, 0xbf], json), undefined)).toBe(json);
  });

  it('is undefined when it is not UTF-8', () => {
    expect(jsonText(bytes('{"text":"', STOP_EUC_KR, '"}'), 'application/json')).toBeUndefined();
  });

  it.each(['euc-kr', 'windows-1251', 'x-unknown'])(
    'declared in %s is refused with 415: JSON is UTF-8 (RFC 8259)',
    (charset) => {
      expect(() => jsonText(Buffer.from('{}'), `application/json; charset=${charset}`)).toThrow(
        expect.objectContaining({ type: 'unsupported-charset', extensions: { charset } }),
      );
    },
  );
});
