// GET /admin/complaints/{id}: one complaint in full for staff (contact data, history, notes, photos, duplicates).
import { z } from 'zod';
import { getComplaint } from '#app/complaint-workflow';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/complaints/{id}',
  auth: 'staff',
  // A complaint's id, or its tracking code as a resident quotes it.
  params: z.object({ id: z.string().min(1).max(64) }),
  run: async ({ params, staff }, deps) => ({ status: 200, body: await getComplaint(deps, staff, params.id) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
