// POST /subscriptions: a registered phone signs up for an account's bill notices; a code is texted to it.
import { z } from 'zod';
import { signUp } from '#app/subscriptions';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

/** What a sign-up says of the phone and its notices (the holder's route takes the same, with the account in the path). */
export const signUpFields = {
  phone: z.string().min(3).max(32),
  // Checked by the use case, so an unknown channel or language gets its own problem type.
  channel: z.string().max(40),
  language: z.string().max(40),
  households: z.number().int().optional(),
  consentVersion: z.string().min(1).max(40),
};

export const route = defineRoute({
  method: 'POST',
  path: '/subscriptions',
  auth: 'none',
  body: z.strictObject({ accountNumber: z.string().min(1).max(32), ...signUpFields }),
  run: async ({ body, client }, deps) => ({ status: 202, body: await signUp(deps, { ...body, client }) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
