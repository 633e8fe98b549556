// POST /admin/complaints/{id}/transitions: staff move a complaint along the workflow; the reporter may be texted.
import { z } from 'zod';
import { transitionComplaint } from '#app/complaint-workflow';
import { COMPLAINT_STATUSES } from '#domain/complaint';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/complaints/{id}/transitions',
  auth: 'staff',
  params: z.object({ id: z.string().min(1).max(64) }),
  body: z.strictObject({
    to: z.enum(COMPLAINT_STATUSES),
    /** Why: an internal note, and a rejection's reason the reporter is told. */
    note: z.string().max(2000).optional(),
  }),
  run: async ({ params, body, staff }, deps) => ({
    status: 200,
    body: await transitionComplaint(deps, staff, params.id, body),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
