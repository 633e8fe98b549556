// GET /accounts/{accountNumber}: the account's district, meters and reading window, for the resident's own pages.
import { z } from 'zod';
import { accountView } from '#app/account-view';
import { languageQuery, requestLanguage } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1) }),
  query: languageQuery,
  run: async ({ params, query, header }, deps) => {
    const language = requestLanguage(deps.config, query.lang, header('accept-language'));
    return {
      status: 200,
      body: await accountView(deps, params.accountNumber, language),
      headers: { 'content-language': language },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
