// GET /complaint-types: the kinds of complaint a resident can file, with the fields each asks for, in one language.
import { z } from 'zod';
import { listComplaintTypes } from '#app/complaint-types';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/complaint-types',
  auth: 'none',
  query: z.object({
    lang: z
      .string()
      .regex(/^[a-z]{2}$/, 'a two-letter language code such as "en"')
      .optional(),
  }),
  run: async ({ query, header }, deps) => {
    const list = listComplaintTypes(deps, { lang: query.lang, acceptLanguage: header('accept-language') });
    return {
      status: 200,
      body: list,
      // The same for everyone until the config changes; a cache must keep one copy per language.
      headers: {
        'content-language': list.language,
        'cache-control': 'public, max-age=300',
        vary: 'accept-language',
      },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
