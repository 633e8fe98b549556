// POST /accounts/{accountNumber}/readings: submit meter readings on the web, under the SMS rules.
import { z } from 'zod';
import { submitWebReading } from '#app/reading-confirmation';
import { requestLanguage } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { logger } from '../observability.ts';
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
    /** Where to send a confirmation e-mail, if the resident wants one. */
    email: z.email().max(254).optional(),
  }),
  run: async ({ params, body, header }, deps) => {
    // The page's language (Accept-Language): refusals and the confirmation e-mail are worded in it.
    const language = requestLanguage(deps.config, undefined, header('accept-language'));
    const { confirmationError, ...stored } = await submitWebReading(
      deps,
      {
        accountNumber: params.accountNumber,
        values: body.readings,
        meterId: body.meterId,
        email: body.email,
      },
      language,
    );
    if (confirmationError) {
      logger.error('Confirmation e-mail could not be queued', {
        error: confirmationError as Error,
        readingId: stored.reading.id,
      });
    }
    return { status: 201, body: stored };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
