// GET /admin/announcements/{id}: an announcement and how far its sending has got.
import { z } from 'zod';
import { getAnnouncement } from '#app/announcements';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/announcements/{id}',
  auth: 'staff',
  params: z.object({ id: z.string().min(1).max(64) }),
  run: async ({ params, staff }, deps) => ({
    status: 200,
    body: await getAnnouncement(deps, staff, params.id),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
