// GET /admin/notice-runs/{kind}/{period}: what a notice run did, by channel and outcome, and what it costs.
import { z } from 'zod';
import { noticeRunReport } from '#app/notice-report';
import { ForbiddenError } from '#domain/errors';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/notice-runs/{kind}/{period}',
  auth: 'staff',
  params: z.object({ kind: z.string().min(1).max(40), period: z.string().min(1).max(20) }),
  run: async ({ params, staff }, deps) => {
    // A run spans every district: a clerk of some districts sees their complaints, not the utility's totals.
    if (!staff.allDistricts)
      throw new ForbiddenError(
        'notice-run-forbidden',
        'Notice runs cover every district: an admin or staff of all districts may see them.',
      );
    return { status: 200, body: await noticeRunReport(deps, params) };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
