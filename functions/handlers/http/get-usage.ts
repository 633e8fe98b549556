// GET /accounts/{accountNumber}/usage?months=24: usage and amounts per bill, oldest first, for a chart.
import { z } from 'zod';
import { USAGE_MONTHS_DEFAULT, USAGE_MONTHS_MAX, usageHistory } from '#app/usage-history';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}/usage',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1) }),
  query: z.object({
    months: z.coerce.number().int().min(1).max(USAGE_MONTHS_MAX).default(USAGE_MONTHS_DEFAULT),
  }),
  run: async ({ params, query }, deps) => ({
    status: 200,
    body: await usageHistory(deps, { accountNumber: params.accountNumber, months: query.months }),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
