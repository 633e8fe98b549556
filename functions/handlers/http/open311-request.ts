// GET /open311/v2/requests/{service_request_id}.{json|xml}: one request, in an array of one.
import { z } from 'zod';
import { getRequest } from '#app/open311';
import { requestLanguage } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';
import { answerOpen311 } from './open311-answer.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/open311/v2/requests/{file}',
  auth: 'none',
  params: z.object({ file: z.string() }),
  query: z.record(z.string(), z.string()),
  run: async ({ params, query, header }, deps) =>
    answerOpen311(params.file, async (id) => {
      const language = requestLanguage(deps.config, query.lang, header('accept-language'));
      return { document: { kind: 'service_requests', items: await getRequest(deps, id, language) } };
    }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
