// POST /sms/delivery-reports/{gateway}: a domestic SMS gateway's delivery reports; HMAC-signed, enqueued.
import { z } from 'zod';
import { receiveGatewayDeliveryReport } from '#app/gateway-delivery-reports';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/sms/delivery-reports/{gateway}',
  // No bearer token: the gateway signs each body with the secret it shares with this deployment.
  auth: 'none',
  rawBody: true,
  params: z.strictObject({ gateway: z.string().min(1).max(64) }),
  run: async ({ params, rawBody, header }, deps) => ({
    status: 202,
    body: await receiveGatewayDeliveryReport(deps, {
      gatewayId: params.gateway,
      rawBody: rawBody ?? Buffer.alloc(0),
      header,
    }),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
