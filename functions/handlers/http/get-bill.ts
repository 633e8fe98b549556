// GET /accounts/{accountNumber}/bills/{period}: one bill with its full breakdown.
import { z } from 'zod';
import { getBill } from '#app/bills';
import { PERIOD_PATTERN } from '#domain/period';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}/bills/{period}',
  auth: 'account',
  params: z.object({
    accountNumber: z.string().min(1),
    period: z.string().regex(PERIOD_PATTERN, 'a month as YYYY-MM'),
  }),
  run: async ({ params }, deps) => ({ status: 200, body: await getBill(deps, params) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
