// Which of the utility's languages a public page or list answers in, and the query and headers that go with it.
import { z } from 'zod';
import { primaryLanguage } from '#config/schema';
import type { Deps } from './ports.ts';

/** `?lang=`: a two-letter code; one the utility does not write in falls back like a missing one. */
export const languageQuery = z.object({
  lang: z
    .string()
    .regex(/^[a-z]{2}$/, 'a two-letter language code such as "en"')
    .optional(),
});

/** How long a cache may keep answering with a copy past its age while the API fails (5xx) or throttles. */
const STALE_IF_ERROR_SECONDS = 600;

/**
 * The same for everyone in one language (five minutes by default: texts change with the config): a cache keeps one
 * copy per language, may answer with it while it fetches the next (stale-while-revalidate), and goes on answering
 * with it for ten minutes if the API fails meanwhile (stale-if-error): an outage rush never meets a 5xx there.
 */
export function languageHeaders(language: string, maxAgeSeconds = 300): Record<string, string> {
  return {
    'content-language': language,
    'cache-control': `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds}, stale-if-error=${STALE_IF_ERROR_SECONDS}`,
    vary: 'accept-language',
  };
}

/** The language a caller asked for (?lang, then Accept-Language by its q-values) among the utility's, else its primary. */
export function requestLanguage(
  config: Deps['config'],
  asked: string | undefined,
  acceptLanguage: string | undefined,
): string {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';').map((p) => p.trim());
      const q = params.find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const candidate of [asked, ...ranked.map((entry) => entry.tag)]) {
    const code = candidate?.slice(0, 2).toLowerCase();
    if (code && config.languages.includes(code)) return code;
  }
  return primaryLanguage(config);
}
