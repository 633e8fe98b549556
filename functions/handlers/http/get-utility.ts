// GET /utility: the utility's name, languages, contact numbers, reading window, consent text and complaint types.

import { languageHeaders, languageQuery } from '#app/request-language';
import { utilityProfile } from '#app/utility-profile';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/utility',
  auth: 'none',
  query: languageQuery,
  run: async ({ query, header }, deps) => {
    const profile = utilityProfile(deps, { lang: query.lang, acceptLanguage: header('accept-language') });
    return {
      status: 200,
      body: profile,
      headers: languageHeaders(profile.language),
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
