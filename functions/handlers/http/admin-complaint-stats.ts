// GET /admin/complaints/stats: counts by status and median handling time per district and type, over a window.
import { z } from 'zod';
import { complaintStats } from '#app/complaint-stats';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/complaints/stats',
  auth: 'staff',
  query: z.object({
    /** A local date (2026-12-01) or an instant with its offset; default 30 days before `to`. */
    from: z.string().min(10).max(40).optional(),
    /** A local date (counted through its end) or an instant; default now. */
    to: z.string().min(10).max(40).optional(),
  }),
  run: async ({ query, staff }, deps) => ({ status: 200, body: await complaintStats(deps, staff, query) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
