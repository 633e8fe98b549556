// The staff console's texts: every key in Korean and Russian, with the same placeholders as in English, so no page
// shows an English fallback or a raw {name} in a utility's language.
import { describe, expect, it } from 'vitest';
import { strings } from '../../portal/src/admin/strings.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the staff console texts', () => {
  it.each(['ko', 'ru'])('%s has every English key, with the same placeholders', (language) => {
    // A clerk in Seoul or Tyumen reads every page in their language, values filled in.
    const catalog = strings[language] ?? {};
    const differences = Object.entries(strings.en).flatMap(([key, english]) => {
      const text = catalog[key as keyof typeof strings.en];
      if (text === undefined) return [`${key}: missing`];
      return JSON.stringify(placeholders(text)) === JSON.stringify(placeholders(english))
        ? []
        : [`${key}: ${placeholders(text)} vs ${placeholders(english)}`];
    });
    expect(differences).toEqual([]);
    expect(Object.keys(catalog).filter((key) => !(key in strings.en))).toEqual([]);
  });
});
