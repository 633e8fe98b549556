// POST /complaints/{id}/photos: the reporter (who alone knows the complaint's id) gets a form to upload one photo.
import { z } from 'zod';
import { requestPhotoUpload } from '#app/complaint-photos';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/complaints/{id}/photos',
  auth: 'none',
  params: z.object({ id: z.uuid() }),
  run: async ({ params }, deps) => ({ status: 201, body: await requestPhotoUpload(deps, params.id) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
