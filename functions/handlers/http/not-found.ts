// The API's default route: any method and path no other route matches gets a problem+json 404.
import { NotFoundError } from '#domain/errors';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'GET',
  path: '$default',
  auth: 'none',
  run: async () => {
    throw new NotFoundError('route-not-found', 'There is no such route on this API.');
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
