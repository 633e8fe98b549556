// POST /subscriptions/{id}/code: text a new code to the subscription's phone (resend, or to manage it).
import { z } from 'zod';
import { sendSubscriptionCode } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/subscriptions/{id}/code',
  auth: 'none',
  params: z.object({ id: z.uuid() }),
  run: async ({ params, client }, deps) => ({
    status: 202,
    body: await sendSubscriptionCode(deps, params.id, client),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
