// GET /accounts/{accountNumber}/bills/{period}/receipt: the bill's receipt as JSON, a printable page or a PDF.
import { z } from 'zod';
import { getReceipt } from '#app/receipts';
import { PERIOD_PATTERN } from '#domain/period';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';
import { receiptMediaType, receiptResponse } from './receipt-representation.ts';

export const route = defineRoute({
  method: 'GET',
  path: '/accounts/{accountNumber}/bills/{period}/receipt',
  auth: 'account',
  params: z.object({
    accountNumber: z.string().min(1),
    period: z.string().regex(PERIOD_PATTERN, 'a month as YYYY-MM'),
  }),
  run: async ({ params, header }, deps) => {
    const mediaType = receiptMediaType(header('accept'));
    return receiptResponse(await getReceipt(deps, params), mediaType, deps.clock.now());
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
