// Which language a page or list answers in: ?lang first, then the browser's Accept-Language by preference.
import { describe, expect, it } from 'vitest';
import { requestLanguage } from '#app/request-language';
import { loadUtilityConfig } from '#config/load';

const seoul = loadUtilityConfig('seoul-water');

describe('requestLanguage', () => {
  it('takes ?lang when the utility writes in it', () => {
    expect(requestLanguage(seoul, 'en', 'ko-KR')).toBe('en');
    expect(requestLanguage(seoul, 'fr', undefined)).toBe('ko');
  });

  it('reads Accept-Language by its q-values, not by its order', () => {
    // A visitor whose browser prefers French, then English over Korean.
    expect(requestLanguage(seoul, undefined, 'ko;q=0.3, fr-FR, en;q=0.8')).toBe('en');
    // q=0 means "not this one".
    expect(requestLanguage(seoul, undefined, 'en;q=0, ko;q=0.1')).toBe('ko');
  });

  it("answers in the utility's own language when nothing fits", () => {
    expect(requestLanguage(seoul, undefined, 'de, fr;q=0.9')).toBe('ko');
    expect(requestLanguage(seoul, undefined, undefined)).toBe('ko');
  });
});
