// POST /admin/complaints/{id}/notes: an internal note in a complaint's history, never shown to the public.
import { z } from 'zod';
import { addComplaintNote } from '#app/complaint-workflow';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/complaints/{id}/notes',
  auth: 'staff',
  params: z.object({ id: z.string().min(1).max(64) }),
  body: z.strictObject({ note: z.string().min(1).max(2000) }),
  run: async ({ params, body, staff }, deps) => ({
    status: 201,
    body: await addComplaintNote(deps, staff, params.id, body.note),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
