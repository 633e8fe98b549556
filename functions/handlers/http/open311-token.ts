// GET /open311/v2/tokens/{token}.{json|xml}: the request a token stands for (ours are the ids themselves).
import { z } from 'zod';
import { lookupToken } from '#app/open311';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';
import { answerOpen311 } from './open311-answer.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/open311/v2/tokens/{file}',
  auth: 'none',
  params: z.object({ file: z.string() }),
  run: async ({ params }, deps) =>
    answerOpen311(params.file, async (token) => ({
      document: { kind: 'service_requests', items: await lookupToken(deps, token) },
    })),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
