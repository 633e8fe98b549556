// GET /admin/billing-runs/{period}: what a billing run did: bills created, skipped, failed (with the accounts and why).
import { z } from 'zod';
import { billingRunReport } from '#app/billing-report';
import { ForbiddenError } from '#domain/errors';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/billing-runs/{period}',
  auth: 'staff',
  params: z.object({ period: z.string().min(1).max(20) }),
  query: z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(400).optional(),
  }),
  run: async ({ params, query, staff }, deps) => {
    // A run spans every district, like a notice run.
    if (!staff.allDistricts)
      throw new ForbiddenError(
        'billing-run-forbidden',
        'Billing runs cover every district: an admin or staff of all districts may see them.',
      );
    return { status: 200, body: await billingRunReport(deps, { period: params.period, ...query }) };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
