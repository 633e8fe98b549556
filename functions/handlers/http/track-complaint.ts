// GET /complaints/{trackingCode}: anyone with the code sees the complaint's type, status and history.
import { z } from 'zod';
import { trackComplaint } from '#app/complaints';
import { requestLanguage } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/complaints/{trackingCode}',
  auth: 'none',
  params: z.object({ trackingCode: z.string().min(1).max(20) }),
  query: z.object({ lang: z.string().max(10).optional() }),
  run: async ({ params, query, header }, deps) => {
    const language = requestLanguage(deps.config, query.lang, header('accept-language'));
    return { status: 200, body: await trackComplaint(deps, params.trackingCode, language) };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
