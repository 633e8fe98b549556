// GET /complaint-types: the kinds of complaint a resident can file, with the fields each asks for, in one language.
import { listComplaintTypes } from '#app/complaint-types';
import { languageHeaders, languageQuery } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/complaint-types',
  auth: 'none',
  query: languageQuery,
  run: async ({ query, header }, deps) => {
    const list = listComplaintTypes(deps, { lang: query.lang, acceptLanguage: header('accept-language') });
    return {
      status: 200,
      body: list,
      headers: languageHeaders(list.language),
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
