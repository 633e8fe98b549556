// GET /accounts/{accountNumber}/bills: the account's bills, newest first, a page at a time.
import { z } from 'zod';
import { BILL_PAGE_DEFAULT, BILL_PAGE_MAX, listBills } from '#app/bills';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}/bills',
  auth: 'account',
  params: z.object({ accountNumber: z.string().min(1) }),
  query: z.object({
    limit: z.coerce.number().int().min(1).max(BILL_PAGE_MAX).default(BILL_PAGE_DEFAULT),
    cursor: z.string().min(1).max(200).optional(),
  }),
  run: async ({ params, query }, deps) => ({
    status: 200,
    body: await listBills(deps, { accountNumber: params.accountNumber, ...query }),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
