// POST /accounts/{accountNumber}/readings: submit meter readings on the web, under the SMS rules.
import { z } from 'zod';
import { submitReading } from '#app/readings';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/accounts/{accountNumber}/readings',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1) }),
  body: z.strictObject({
    /** Needed only where the account has several meters. */
    meterId: z.string().min(1).max(40).optional(),
    /** Whole units, in the meter's register order (day before night). */
    readings: z.array(z.number().int().nonnegative()).min(1).max(3),
  }),
  run: async ({ params, body }, deps) => {
    const result = await submitReading(deps, {
      accountNumber: params.accountNumber,
      values: body.readings,
      source: 'web',
      ...(body.meterId ? { meterId: body.meterId } : {}),
    });
    const language = deps.config.locale.slice(0, 2);
    return {
      status: 201,
      body: {
        ...result,
        ...(result.flagged ? { advice: deps.config.readings.leakCheckText[language] ?? null } : {}),
      },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
