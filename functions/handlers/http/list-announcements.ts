// GET /admin/announcements: the announcements, latest send time first, each with its progress, a page at a time.
import { z } from 'zod';
import { ANNOUNCEMENT_PAGE_DEFAULT, ANNOUNCEMENT_PAGE_MAX, listAnnouncements } from '#app/announcements';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/announcements',
  auth: 'staff',
  query: z.object({
    limit: z.coerce.number().int().min(1).max(ANNOUNCEMENT_PAGE_MAX).default(ANNOUNCEMENT_PAGE_DEFAULT),
    cursor: z.string().min(1).max(400).optional(),
  }),
  run: async ({ query, staff }, deps) => ({
    status: 200,
    body: await listAnnouncements(deps, staff, query),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
