// POST /admin/complaints/{id}/merge: staff merge a duplicate into the complaint it repeats; its reporter is told.
import { z } from 'zod';
import { mergeComplaint } from '#app/complaint-workflow';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/complaints/{id}/merge',
  auth: 'staff',
  params: z.object({ id: z.string().min(1).max(64) }),
  /** The original's tracking code. */
  body: z.strictObject({ into: z.string().min(1).max(20) }),
  run: async ({ params, body, staff }, deps) => ({
    status: 200,
    body: await mergeComplaint(deps, staff, params.id, body.into),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
