// Texts of the pages in each language the utility writes in. A catalog is English plus any of Korean and Russian;
// a key missing in a language falls back to English, and tests check that no catalog misses one.
import { useEffect, useState } from 'preact/hooks';

export type Catalog<K extends string> = { en: Record<K, string> } & Partial<
  Record<string, Partial<Record<K, string>>>
>;
export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

/** Native names for the language switch: a language is offered in its own words. */
export const LANGUAGE_NAMES: Record<string, string> = { ko: '한국어', ru: 'Русский', en: 'English' };

export function translator<K extends string>(catalog: Catalog<K>, language: string): Translate<K> {
  const texts = catalog[language] ?? catalog.en;
  return (key, values) => {
    const text = texts[key] ?? catalog.en[key] ?? key;
    return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)) : text;
  };
}

const STORAGE_KEY = 'utilitydesk.language';

/** The stored choice, else the browser's first language the utility has, else the utility's first language. */
export function chooseLanguage(available: string[]): string {
  const stored = safeStorage()?.getItem(STORAGE_KEY);
  if (stored && available.includes(stored)) return stored;
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (available.includes(base)) return base;
  }
  return available[0] ?? 'en';
}

function safeStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The page's language: kept across visits, and set on <html lang> so screen readers pronounce it right. Until the
 * utility's languages are known it is English; once they are, the stored or browser choice applies (a choice made
 * here wins over both).
 */
export function useLanguage(available: string[] | undefined): [string, (language: string) => void] {
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const language =
    chosen && (!available || available.includes(chosen))
      ? chosen
      : available
        ? chooseLanguage(available)
        : 'en';
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const choose = (next: string) => {
    safeStorage()?.setItem(STORAGE_KEY, next);
    setChosen(next);
  };
  return [language, choose];
}

/** A BCP 47 locale for formatting: the page's language in the utility's region (ko-KR, ru-RU, en-KR). */
export function formattingLocale(language: string, utilityLocale: string): string {
  const region = utilityLocale.split('-')[1];
  return region ? `${language}-${region}` : language;
}
