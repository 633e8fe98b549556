import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '#domain/language';

const seoul = ['ko', 'en'];

describe('choosing the language of an answer', () => {
  // A link shared from the English portal carries ?lang=en: it wins over the phone's Korean settings.
  it('answers in the language asked for by name when the utility offers it', () => {
    expect(chooseLanguage(seoul, { requested: 'en', acceptLanguage: 'ko-KR,ko;q=0.9' }, 'ko')).toBe('en');
  });

  // A browser set to German, then English (a visitor): English is the first of its languages Seoul offers.
  it('else takes the first offered language of Accept-Language, regions ignored', () => {
    expect(
      chooseLanguage(seoul, { requested: 'de', acceptLanguage: 'de-DE,de;q=0.9,en-US;q=0.8' }, 'ko'),
    ).toBe('en');
    expect(chooseLanguage(seoul, { acceptLanguage: 'EN-gb' }, 'ko')).toBe('en');
  });

  it('orders Accept-Language by quality, the first of equals winning, and skips what it refuses', () => {
    expect(chooseLanguage(seoul, { acceptLanguage: 'en;q=0.5, ko;q=0.8' }, 'ko')).toBe('ko');
    expect(chooseLanguage(seoul, { acceptLanguage: 'en;q=0.8, ko;q=0.8' }, 'ko')).toBe('en');
    expect(chooseLanguage(seoul, { acceptLanguage: 'en;q=0, de' }, 'ko')).toBe('ko');
  });

  it('else answers in the utility primary language, whatever the header holds', () => {
    expect(chooseLanguage(seoul, {}, 'ko')).toBe('ko');
    expect(chooseLanguage(seoul, { acceptLanguage: '*' }, 'ko')).toBe('ko');
    expect(chooseLanguage(seoul, { acceptLanguage: 'en;q=2, ;;, x y' }, 'ko')).toBe('ko');
  });
});
