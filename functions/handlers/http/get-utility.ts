// GET /utility: the utility's name, languages, contact numbers, reading window, consent text and complaint types.
import { z } from 'zod';
import { utilityProfile } from '#app/utility-profile';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/utility',
  auth: 'none',
  query: z.object({
    lang: z
      .string()
      .regex(/^[a-z]{2}$/, 'a two-letter language code such as "en"')
      .optional(),
  }),
  run: async ({ query, header }, deps) => {
    const profile = utilityProfile(deps, { lang: query.lang, acceptLanguage: header('accept-language') });
    return {
      status: 200,
      body: profile,
      // The same for everyone until the config changes; a cache must keep one copy per language.
      headers: {
        'content-language': profile.language,
        'cache-control': 'public, max-age=300',
        vary: 'accept-language',
      },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
