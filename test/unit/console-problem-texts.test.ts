// The console's sentences for an announcement text's problems: by the API's code and figures, in the clerk's
// language, and the API's own message when the console cannot say it.
import { describe, expect, it } from 'vitest';
import { type Key, strings } from '../../portal/src/admin/strings.ts';
import { fieldProblemText } from '../../portal/src/admin/text-problems.ts';
import { formats } from '../../portal/src/shared/format.ts';

/** The console as a clerk reads it in `language` (the catalog's text, placeholders filled as the pages fill them). */
function reader(language: string, locale: string) {
  const catalog = strings[language] ?? strings.en;
  return {
    language,
    fmt: formats(locale, 'KRW', 'Asia/Seoul'),
    t: (key: Key, values: Record<string, string | number> = {}) =>
      (catalog[key] ?? strings.en[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
        String(values[name] ?? whole),
      ),
  };
}

const field = 'body.texts.ko';

describe('an announcement text problem in the console', () => {
  it('says each known code in Korean, with its figures in Korean formats', () => {
    // A Seoul clerk types an emoji, forgets the English text, or pastes a text far too long.
    const ko = reader('ko', 'ko-KR');
    expect(
      fieldProblemText(ko, { field, message: 'x', code: 'unencodable-characters', characters: ['😀', '🎉'] }),
    ).toBe('한국 휴대폰에서 "😀", "🎉" 문자를 표시할 수 없습니다. 지우거나 다른 문자로 바꾸세요.');
    expect(fieldProblemText(ko, { field, message: 'x', code: 'text-required', language: 'en' })).toBe(
      '영어 문구도 작성하세요: 이 언어로도 주민에게 안내합니다.',
    );
    expect(
      fieldProblemText(ko, {
        field,
        message: 'x',
        code: 'messenger-too-long',
        size: 1019,
        limit: 1000,
        unit: 'characters',
      }),
    ).toBe('너무 깁니다: 제목과 문의처를 포함해 1,019자이며, 메신저는 최대 1,000자까지 받습니다.');
  });

  it('says a too-long text in Russian by its unit, and names languages in Russian', () => {
    // A Tyumen clerk pastes a long text, and a script posts a German one.
    const ru = reader('ru', 'ru-RU');
    expect(
      fieldProblemText(ru, {
        field: 'body.texts.ru',
        message: 'x',
        code: 'too-long',
        size: 1700,
        limit: 630,
        unit: 'characters',
        parts: 26,
      }),
    ).toBe(
      'Слишком длинно: с заголовком и телефоном для справок 1\u00a0700 симв. (SMS-частей: 26), а отправить можно не больше 630.',
    );
    expect(
      fieldProblemText(ru, {
        field: 'body.texts.de',
        message: 'x',
        code: 'language-not-written',
        language: 'de',
        languages: ['ru', 'en'],
      }),
    ).toBe('Компания не пишет на языке «немецкий» (её языки: русский, английский).');
  });

  it('shows the API’s message for a code it does not know, or when a figure is missing', () => {
    // A newer API adds a problem the console was not built with; an older one sends a code without its figures.
    const en = reader('en', 'en-KR');
    expect(fieldProblemText(en, { field, message: 'Something new', code: 'brand-new' })).toBe(
      'Something new',
    );
    expect(
      fieldProblemText(en, { field, message: 'Too long', code: 'too-long', unit: 'bytes', size: 2100 }),
    ).toBe('Too long');
    expect(fieldProblemText(en, { field, message: 'Plain' })).toBe('Plain');
  });
});
