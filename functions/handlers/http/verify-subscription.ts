// POST /subscriptions/{id}/verify: confirm the texted code; activates a pending subscription.
import { z } from 'zod';
import { verifySubscription } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/subscriptions/{id}/verify',
  auth: 'none',
  params: z.object({ id: z.uuid() }),
  body: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') }),
  run: async ({ params, body }, deps) => ({
    status: 200,
    body: await verifySubscription(deps, params.id, body.code),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
