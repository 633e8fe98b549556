// POST /admin/autopay-results: an admin records the bank's auto-pay results (usually a bank file's rows, as JSON).
import { z } from 'zod';
import { recordAutoPayResults } from '#app/auto-pay';
import { autoPayResultInputSchema } from '#domain/auto-pay';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/autopay-results',
  auth: 'staff',
  body: z.strictObject({ results: z.array(autoPayResultInputSchema).min(1).max(200) }),
  run: async ({ body, staff }, deps) => ({
    status: 200,
    body: { results: await recordAutoPayResults(deps, staff, body.results) },
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
