// GET /announcements: the announcements already sent to a district (or to any) in the last two weeks; public.
import { z } from 'zod';
import { publicAnnouncements } from '#app/public-announcements';
import { languageHeaders, languageQuery, requestLanguage } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/announcements',
  auth: 'none',
  query: languageQuery.extend({ district: z.string().min(1).max(64).optional() }),
  run: async ({ query, header }, deps) => {
    const language = requestLanguage(deps.config, query.lang, header('accept-language'));
    return {
      status: 200,
      body: await publicAnnouncements(deps, { district: query.district, language }),
      // The same for everyone for a minute: each browser (and any shared cache on the way) asks again at most that often.
      headers: languageHeaders(language, 60),
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
