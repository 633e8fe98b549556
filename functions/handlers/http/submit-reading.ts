// POST /accounts/{accountNumber}/readings: submit meter readings on the web, under the SMS rules.
import { z } from 'zod';
import { sendReadingConfirmation } from '#app/reading-confirmation';
import { submitReading } from '#app/readings';
import { localize, primaryLanguage } from '#config/schema';
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
  run: async ({ params, body }, deps) => {
    const result = await submitReading(deps, {
      accountNumber: params.accountNumber,
      values: body.readings,
      source: 'web',
      ...(body.meterId ? { meterId: body.meterId } : {}),
      ...(body.email ? { email: body.email } : {}),
    });
    const language = primaryLanguage(deps.config);
    // The reading is stored either way: a failed e-mail is reported, not turned into an error.
    let confirmationEmail: 'sent' | 'failed' | null = null;
    try {
      if (await sendReadingConfirmation(deps, result, language)) confirmationEmail = 'sent';
    } catch (error) {
      logger.error('Confirmation e-mail failed', { error: error as Error, readingId: result.reading.id });
      confirmationEmail = 'failed';
    }
    return {
      status: 201,
      body: {
        reading: result.reading,
        flagged: result.flagged,
        ...(result.flagged
          ? { advice: localize(deps.config, deps.config.readings.leakCheckText, language) }
          : {}),
        confirmationEmail,
      },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
