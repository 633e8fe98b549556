// POST /auth/token: exchange a one-time code for a bearer token scoped to the account.
import { z } from 'zod';
import { exchangeOtpForToken } from '#app/auth';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/auth/token',
  auth: 'none',
  body: z.strictObject({
    accountNumber: z.string().min(1).max(32),
    phone: z.string().min(3).max(32),
    code: z.string().regex(/^\d{6}$/, 'six digits'),
  }),
  run: async ({ body }, deps) => ({ status: 200, body: await exchangeOtpForToken(deps, body) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
