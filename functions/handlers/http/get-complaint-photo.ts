// GET /admin/complaints/{id}/photos/{photoId}: a short-lived link to a checked photo of a complaint staff may see.
import { z } from 'zod';
import { viewComplaintPhoto } from '#app/complaint-photos';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/complaints/{id}/photos/{photoId}',
  auth: 'staff',
  params: z.object({ id: z.uuid(), photoId: z.uuid() }),
  run: async ({ params, staff }, deps) => ({
    status: 200,
    body: await viewComplaintPhoto(deps, staff, params.id, params.photoId),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
