// GET /admin/me: the staff member a token names, with their roles and the districts they may see (the staff console).
import { staffProfile } from '#app/staff-access';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/admin/me',
  auth: 'staff',
  run: async ({ staff }, deps) => ({ status: 200, body: staffProfile(deps.config, staff) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
