// GET /accounts/{accountNumber}/subscriptions: every subscription of the account, newest first, a page at a time.
import { z } from 'zod';
import { listAccountSubscriptions } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}/subscriptions',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1) }),
  query: z.object({
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().min(1).max(400).optional(),
  }),
  run: async ({ params, query }, deps) => ({
    status: 200,
    body: await listAccountSubscriptions(deps, { accountNumber: params.accountNumber, ...query }),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
