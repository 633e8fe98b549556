// POST /admin/billing-runs: an admin starts a period's billing run by hand, or starts it again to finish it.
import { z } from 'zod';
import { startBillingRun } from '#app/billing-run-start';
import { ForbiddenError } from '#domain/errors';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/billing-runs',
  auth: 'staff',
  body: z.strictObject({
    period: z.string().min(1).max(20),
    /** Read every account again: the bills made are recognised and skipped, the missing ones made. */
    restart: z.boolean().default(false),
  }),
  run: async ({ body, staff }, deps) => {
    // Billing every account of the utility is the operators' decision, not a district clerk's.
    if (!staff.roles.includes('admin'))
      throw new ForbiddenError('billing-run-forbidden', 'Only an admin may start a billing run.');
    const result = await startBillingRun(deps, body);
    return {
      status: 202,
      body: {
        runId: result.runId,
        started: result.started,
        status: result.run.status,
        starts: result.run.starts,
      },
      headers: { location: `/admin/billing-runs/${result.run.period}` },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
