// GET /admin/complaints: a district's complaints in one status, oldest first, a page at a time (staff).
import { z } from 'zod';
import { listComplaints } from '#app/complaint-workflow';
import { COMPLAINT_STATUSES } from '#domain/complaint';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/complaints',
  auth: 'staff',
  query: z.object({
    district: z.string().min(1).max(40).optional(),
    status: z.enum(COMPLAINT_STATUSES),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(400).optional(),
  }),
  run: async ({ query, staff }, deps) => ({ status: 200, body: await listComplaints(deps, staff, query) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
