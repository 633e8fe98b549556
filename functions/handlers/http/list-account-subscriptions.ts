// GET /accounts/{accountNumber}/subscriptions: every subscription of the account, newest first.
import { z } from 'zod';
import { listAccountSubscriptions } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}/subscriptions',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1) }),
  run: async ({ params }, deps) => ({
    status: 200,
    body: await listAccountSubscriptions(deps, params.accountNumber),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
