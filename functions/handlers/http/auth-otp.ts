// POST /auth/otp: send a one-time code to a phone registered on the account.
import { z } from 'zod';
import { requestOtp } from '#app/auth';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/auth/otp',
  auth: 'none',
  body: z.strictObject({ accountNumber: z.string().min(1).max(32), phone: z.string().min(3).max(32) }),
  run: async ({ body, client }, deps) => ({ status: 202, body: await requestOtp(deps, { ...body, client }) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
