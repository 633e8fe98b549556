// POST /accounts/{accountNumber}/subscriptions: the account holder adds another phone to the bill notices.
import { z } from 'zod';
import { addHouseholdPhone } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';
import { signUpFields } from './subscribe.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/accounts/{accountNumber}/subscriptions',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1).max(32) }),
  body: z.strictObject(signUpFields),
  run: async ({ params, body, client }, deps) => ({
    status: 202,
    body: await addHouseholdPhone(deps, { ...body, accountNumber: params.accountNumber, client }),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
