// POST /sms/inbound/{gateway}: a domestic SMS gateway's webhook; HMAC-signed, enqueued for the sms-inbound consumer.
import { z } from 'zod';
import { receiveGatewaySms } from '#app/sms-gateway';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/sms/inbound/{gateway}',
  // No bearer token: the gateway signs each body with the secret it shares with this deployment.
  auth: 'none',
  rawBody: true,
  params: z.strictObject({ gateway: z.string().min(1).max(64) }),
  run: async ({ params, rawBody, header }, deps) => ({
    status: 200,
    body: await receiveGatewaySms(deps, {
      gatewayId: params.gateway,
      rawBody: rawBody ?? Buffer.alloc(0),
      header,
    }),
  }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
