// GET /open311/v2/{services|requests|discovery}.{json|xml}: the service list, the request search, the discovery document.
import { z } from 'zod';
import { discovery, findRequests, listServices } from '#app/open311';
import { requestLanguage } from '#app/request-language';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';
import { answerOpen311, unknownResource } from './open311-answer.ts';

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export const route = defineRoute({
  method: 'GET',
  path: '/open311/v2/{file}',
  auth: 'none',
  params: z.object({ file: z.string() }),
  // Every parameter is read (and refused) by the use case, so its errors are Open311's, not problem+json.
  query: z.record(z.string(), z.string()),
  run: async ({ params, query, header, client }, deps) =>
    answerOpen311(params.file, async (name) => {
      const language = requestLanguage(deps.config, query.lang, header('accept-language'));
      switch (name) {
        case 'services':
          return { document: { kind: 'services', items: listServices(deps, language) } };
        case 'requests':
          return {
            document: { kind: 'service_requests', items: await findRequests(deps, query, language, client) },
          };
        case 'discovery': {
          const host = header('host') ?? 'localhost';
          const scheme = header('x-forwarded-proto') ?? (LOOPBACK.test(host) ? 'http' : 'https');
          return {
            document: { kind: 'discovery', discovery: discovery(deps, `${scheme}://${host}/open311/v2`) },
          };
        }
        default:
          return unknownResource(name);
      }
    }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
