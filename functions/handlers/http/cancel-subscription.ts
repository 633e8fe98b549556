// DELETE /subscriptions/{id}: end a subscription (account holder or subscriber).
import { z } from 'zod';
import { cancelSubscription } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'DELETE',
  path: '/subscriptions/{id}',
  auth: 'token',
  params: z.object({ id: z.uuid() }),
  run: async ({ params, claims }, deps) => ({
    status: 200,
    body: await cancelSubscription(deps, params.id, claims),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
