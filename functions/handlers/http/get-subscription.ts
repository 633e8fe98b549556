// GET /subscriptions/{id}: the account holder's or the subscriber's own view of a subscription.
import { z } from 'zod';
import { getSubscription } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/subscriptions/{id}',
  auth: 'token',
  params: z.object({ id: z.uuid() }),
  run: async ({ params, claims }, deps) => ({
    status: 200,
    body: await getSubscription(deps, params.id, claims),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
