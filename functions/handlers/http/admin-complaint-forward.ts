// POST /admin/complaints/{id}/district: forwards a complaint to another district's queue (the central desk's work).
import { z } from 'zod';
import { forwardComplaint } from '#app/complaint-workflow';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/complaints/{id}/district',
  auth: 'staff',
  params: z.object({ id: z.string().min(1).max(64) }),
  body: z.strictObject({ district: z.string().min(1).max(40), note: z.string().min(1).max(2000) }),
  run: async ({ params, body, staff }, deps) => ({
    status: 200,
    body: await forwardComplaint(deps, staff, params.id, body),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
